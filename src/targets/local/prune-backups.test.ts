import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneBackups } from './prune-backups.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('pruneBackups', () => {
  it('keeps the newest backups and removes older ones with their WAL files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-prune-'));
    dirs.push(dir);
    for (let i = 1; i <= 5; i++)
      writeFileSync(join(dir, `2026-11-0${i}T10-00-00-000Z-before-000${i}.sqlite`), 'x');
    writeFileSync(join(dir, '2026-11-01T10-00-00-000Z-before-0001.sqlite-wal'), 'w');
    const removed = pruneBackups(dir, 3);
    expect(removed).toHaveLength(3);
    expect(readdirSync(dir).sort()).toEqual([
      '2026-11-03T10-00-00-000Z-before-0003.sqlite',
      '2026-11-04T10-00-00-000Z-before-0004.sqlite',
      '2026-11-05T10-00-00-000Z-before-0005.sqlite',
    ]);
    expect(pruneBackups(join(dir, 'missing'))).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });
});
