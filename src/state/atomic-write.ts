import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * State, journals and logs hold release details and sometimes the worker's own output: only their owner reads
 * them (0600 files in 0700 folders), whatever the umask.
 */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Writes a whole file so a reader (or a crash) sees the old content or the new, never half: temp + fsync + rename. */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(temp, 'w', FILE_MODE);
  try {
    fchmodSync(fd, FILE_MODE);
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Appends one line and fsyncs before returning: once acknowledged, a `kill -9` cannot lose it. */
export function appendLineSync(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: DIR_MODE });
  const fd = openSync(path, 'a', FILE_MODE);
  try {
    // A journal created by an older version (0644) is tightened on its next line.
    fchmodSync(fd, FILE_MODE);
    writeSync(fd, `${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
