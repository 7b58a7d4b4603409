import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMigrationsDir } from './files.ts';
import { checkSequence, nextNumber } from './sequence.ts';

let dir: string;
const write = (name: string, sql = 'SELECT 1;') => {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), sql);
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-seq-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readMigrationsDir', () => {
  it('pairs down files from both layouts and keeps strays apart', () => {
    write('0001_a.sql');
    write('0001_a.down.sql', 'DROP TABLE a;');
    write('0002_b.sql');
    write('rollback/0002_undo_b.sql', 'DROP TABLE b;');
    write('0003_c.sql');
    write('schema.sql');
    const read = readMigrationsDir(dir);
    expect(read.files.map((f) => [f.name, f.down?.sql ?? null])).toEqual([
      ['0001_a.sql', 'DROP TABLE a;'],
      ['0002_b.sql', 'DROP TABLE b;'],
      ['0003_c.sql', null],
    ]);
    expect(read.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(read.strays).toEqual([
      { name: '0001_a.down.sql', reason: 'down-beside' },
      { name: 'schema.sql', reason: 'bad-name' },
    ]);
    expect(nextNumber(read.files)).toBe('0004');
  });

  it('reads a missing folder as empty', () => {
    expect(readMigrationsDir(join(dir, 'nope')).files).toEqual([]);
  });
});

describe('checkSequence', () => {
  it('finds gaps, duplicates, late files, edits and missing files', () => {
    for (const name of ['0001_a.sql', '0002_b.sql', '0002_bb.sql', '0004_d.sql', '0005_e.sql']) write(name);
    const read = readMigrationsDir(dir);
    const problems = checkSequence(read, {
      names: ['0001_a.sql', '0002_b.sql', '0005_e.sql', '0009_gone.sql'],
      checksums: new Map([['0001_a.sql', 'f'.repeat(64)]]),
    });
    expect(problems.map((p) => [p.kind, p.file])).toEqual([
      ['duplicate', '0002_bb.sql'],
      ['gap', '0004_d.sql'],
      ['changed', '0001_a.sql'],
      ['out-of-order', '0002_bb.sql'],
      ['out-of-order', '0004_d.sql'],
      ['missing', '0009_gone.sql'],
    ]);
    expect(problems.find((p) => p.kind === 'changed')?.recorded).toBe('f'.repeat(64));
  });

  it.each(['3_bad.sql', '0003_.sql', '0003-add.sql', '0003_add x.sql', 'V3__add.sql'])(
    'counts %s as badly named, not as a numbered migration',
    (name) => {
      write(name);
      const dir2 = readMigrationsDir(dir);
      expect(dir2.files.map((f) => f.name)).not.toContain(name);
      expect(checkSequence(dir2).find((p) => p.file === name)?.kind).toBe('bad-name');
    },
  );

  it('accepts a clean folder, also with three-digit numbers', () => {
    for (const name of ['001_a.sql', '002_b.sql', '003_c.sql']) write(name);
    expect(checkSequence(readMigrationsDir(dir), { names: ['001_a.sql'], checksums: new Map() })).toEqual([]);
  });
});
