import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readJsonFile } from './json-file.ts';
import type { StatePaths } from './paths.ts';

/** daemon.json: who runs the platform and on which ports (the actual ones when 0 was asked). */
export interface DaemonInfo {
  pid: number;
  projectDir: string;
  /** The wrangler environment served; null (or absent, before environments had their own daemons) = production. */
  env?: string | null;
  /** The component served; null or absent for a project without `components`. */
  component?: string | null;
  port: number;
  controlPort: number;
  url: string;
  controlUrl: string;
  startedAt: string;
}

export function readDaemonInfo(paths: StatePaths): DaemonInfo | null {
  return readJsonFile<DaemonInfo | null>(paths.daemon, null, (value) => {
    const v = value as Partial<DaemonInfo> | null;
    return v && typeof v.pid === 'number' && typeof v.controlUrl === 'string' && typeof v.url === 'string'
      ? null
      : 'expected {"pid", "url", "controlUrl", ...}';
  });
}

/** True while `pid` runs; a killed process its parent has not reaped yet (a zombie) is not running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return false; // no /proc (macOS): kill(0) is all there is
  }
}

/** The bearer token (created on first start, mode 0600). */
export function readOrCreateToken(paths: StatePaths): string {
  if (existsSync(paths.token)) {
    const token = readFileSync(paths.token, 'utf8').trim();
    if (token.length >= 32) {
      chmodSync(paths.token, 0o600);
      return token;
    }
  }
  const token = randomBytes(32).toString('hex');
  writeFileSync(paths.token, `${token}\n`, { mode: 0o600 });
  chmodSync(paths.token, 0o600);
  return token;
}

export function readToken(paths: StatePaths): string | null {
  return existsSync(paths.token) ? readFileSync(paths.token, 'utf8').trim() : null;
}
