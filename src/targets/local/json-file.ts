import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/**
 * Reads a state file; a missing file is `fallback`, an unreadable one is LOCAL_STATE_CORRUPT (never reset:
 * the user decides what to do with it).
 */
export function readJsonFile<T>(path: string, fallback: T, check?: (value: unknown) => string | null): T {
  if (!existsSync(path)) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ShipshapeError('LOCAL_STATE_CORRUPT', { path, reason: (err as Error).message });
  }
  const problem = check?.(value) ?? null;
  if (problem) throw new ShipshapeError('LOCAL_STATE_CORRUPT', { path, reason: problem });
  return value as T;
}

/** Writes atomically (temp file + rename) so a crash never leaves half a file; owner-only (0600) by default. */
export function writeJsonFile(path: string, value: unknown, mode = 0o600): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode });
  renameSync(tmp, path);
}
