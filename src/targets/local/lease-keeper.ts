import { spawn } from 'node:child_process';
import { closeSync, existsSync, fchmodSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODULE_EXT, PACKAGE_ROOT } from '../../package-root.ts';
import type { LeaseState } from '../target.ts';
import { ApiError, badRequest } from './api-error.ts';
import { writeJsonFile } from './json-file.ts';
import type { StatePaths } from './paths.ts';

/** A recovery that keeps dying is not started forever: after this many, the release waits for a person. */
const MAX_ATTEMPTS = 3;

/** Where the daemon records the lease; journals read it before every append (fencing), so it is a file. */
export function leasePath(paths: StatePaths): string {
  return join(paths.root, 'lease.json');
}

/** The lease as last written by the daemon, or null (no release ever held one). */
export function readLeaseFile(paths: StatePaths): LeaseState | null {
  const path = leasePath(paths);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LeaseState;
  } catch {
    return null;
  }
}

/**
 * The platform's side of the release lease (Argo Rollouts' controller model): a release renews it; when it
 * lapses the daemon bumps the generation (fencing the silent holder) and starts the recovery itself, as a
 * detached `shipshape recover` of the same install, so the platform never imports the pipeline.
 */
export class LeaseKeeper {
  private state: LeaseState;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly paths: StatePaths,
    private readonly projectDir: string,
    private readonly output: (text: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    const saved = readLeaseFile(paths);
    this.state = saved ?? {
      release: null,
      generation: 0,
      holderPid: null,
      expiresAt: null,
      ttlMs: 30_000,
      recovering: false,
      attempts: 0,
    };
    // A daemon that restarts gives the holder a whole lease to reach it again before taking the release over.
    if (this.state.release) this.state.expiresAt = new Date(this.now() + this.state.ttlMs).toISOString();
    this.timer = setInterval(() => this.watch(), 250);
    this.timer.unref();
  }

  current(): LeaseState {
    return { ...this.state };
  }

  acquire(body: Record<string, unknown>): LeaseState {
    const release = body.release;
    const ttlMs = body.ttlMs;
    if (typeof release !== 'string' || !release) throw badRequest('lease', 'release is required');
    if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 500 || ttlMs > 3_600_000)
      throw badRequest('lease', 'ttlMs must be an integer between 500 and 3600000');
    if (body.expect !== undefined && body.expect !== this.state.generation) this.stale(body.expect, release);
    const recovering = body.expect !== undefined && this.state.recovering && this.state.release === release;
    this.write({
      release,
      generation: this.state.generation + 1,
      holderPid: typeof body.pid === 'number' ? body.pid : null,
      expiresAt: new Date(this.now() + ttlMs).toISOString(),
      ttlMs,
      // A recovery holding the lease is still the platform's recovery (status says so); attempts stay counted.
      recovering,
      attempts: recovering ? this.state.attempts : 0,
    });
    return this.current();
  }

  renew(body: Record<string, unknown>): LeaseState {
    this.check(body.generation);
    this.write({ ...this.state, expiresAt: new Date(this.now() + this.state.ttlMs).toISOString() });
    return this.current();
  }

  release(body: Record<string, unknown>): LeaseState {
    this.check(body.generation);
    this.write({
      ...this.state,
      release: null,
      holderPid: null,
      expiresAt: null,
      recovering: false,
      attempts: 0,
    });
    return this.current();
  }

  /** Refuses a change made under an older generation (requests without one are the operator's own). */
  check(generation: unknown): void {
    if (generation !== this.state.generation) this.stale(generation, this.state.release);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private stale(generation: unknown, release: unknown): never {
    throw new ApiError(409, 'LEASE_STALE', {
      release,
      generation: Number(generation),
      current: this.state.generation,
    });
  }

  private watch(): void {
    const { release, expiresAt } = this.state;
    if (!release || !expiresAt || new Date(expiresAt).getTime() > this.now()) return;
    if (this.state.attempts >= MAX_ATTEMPTS) {
      if (this.state.recovering) {
        this.output(`release ${release}: recovery failed ${MAX_ATTEMPTS} times; run "shipshape rollback"\n`);
        this.write({ ...this.state, expiresAt: null });
      }
      return;
    }
    // Fence first: from here on the silent holder's changes are refused, then its recovery starts.
    this.write({
      ...this.state,
      generation: this.state.generation + 1,
      holderPid: null,
      expiresAt: new Date(this.now() + this.state.ttlMs).toISOString(),
      recovering: true,
      attempts: this.state.attempts + 1,
    });
    this.output(
      `release ${release}: lease not renewed; generation ${this.state.generation}, starting its recovery\n`,
    );
    try {
      this.spawnRecovery(release, this.state.generation);
    } catch (err) {
      this.output(`starting the recovery of ${release} failed: ${(err as Error).message}\n`);
    }
  }

  private spawnRecovery(release: string, generation: number): void {
    const bin = join(PACKAGE_ROOT, 'bin', 'shipshape.js');
    // From sources (tests in-process) the CLI needs the TypeScript loader; bin/shipshape.js runs the compiled one.
    const loader =
      MODULE_EXT === '.ts' && !existsSync(join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'))
        ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
        : [];
    const args = [
      ...loader,
      bin,
      'recover',
      '--release',
      release,
      '--generation',
      String(generation),
      '--cwd',
      this.projectDir,
      ...(this.paths.env ? ['--env', this.paths.env] : []),
      // A component's world recovers the release as that component's target (state, lease and lock its own).
      ...(this.paths.component ? ['--component', this.paths.component] : []),
      '--json',
    ];
    const log = openSync(join(this.paths.root, 'recover.log'), 'a', 0o600);
    fchmodSync(log, 0o600);
    const child = spawn(process.execPath, args, {
      cwd: this.projectDir,
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, CI: 'true' },
    });
    closeSync(log);
    child.on('error', (err) => this.output(`recovery of ${release} did not start: ${err.message}\n`));
    child.unref();
  }

  private write(next: LeaseState): void {
    this.state = next;
    writeJsonFile(leasePath(this.paths), next);
  }
}
