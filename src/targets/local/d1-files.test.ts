import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyDatabaseFiles, d1ObjectId, d1SqlitePath, isSqliteFile, putDatabaseFiles } from './d1-files.ts';

const HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');
let dir: string;

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('D1 SQLite files', () => {
  it("derives Miniflare's object id for a database id (stable, 64 hex chars)", () => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-d1-files-'));
    // The file Miniflare 4 wrote for this id in a real run of the example app.
    expect(d1ObjectId('8a3c4e1e-2b7d-4c1a-9f6e-0d5b7a1c2e3f')).toBe(
      '3fdd17adeb92b17ade72fef50a5b47c0b14fbaf8af08896f45eb34b22b71fc95',
    );
    expect(d1SqlitePath('/p/d1', 'x')).toBe(`/p/d1/miniflare-D1DatabaseObject/${d1ObjectId('x')}.sqlite`);
  });

  it('copies main file, WAL and shm, and puts back main + WAL, dropping the stale side files', () => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-d1-files-'));
    const live = join(dir, 'live.sqlite');
    const copy = join(dir, 'copy.sqlite');
    writeFileSync(live, Buffer.concat([HEADER, Buffer.from('v1')]));
    writeFileSync(`${live}-wal`, 'wal v1');
    writeFileSync(`${live}-shm`, 'shm v1');
    expect(copyDatabaseFiles(live, copy)).toEqual(['-wal', '-shm']);
    expect(isSqliteFile(copy)).toBe(true);

    writeFileSync(live, Buffer.concat([HEADER, Buffer.from('v2')]));
    writeFileSync(`${live}-wal`, 'wal v2');
    writeFileSync(`${live}-shm`, 'shm v2');
    putDatabaseFiles(copy, live);
    expect(readFileSync(live).subarray(16).toString()).toBe('v1');
    expect(readFileSync(`${live}-wal`, 'utf8')).toBe('wal v1');
    expect(existsSync(`${live}-shm`)).toBe(false);
    expect(existsSync(`${live}.restoring`)).toBe(false);
  });

  it('puts back a copy without WAL by removing the live WAL; refuses a missing source; spots non-SQLite files', () => {
    dir = mkdtempSync(join(tmpdir(), 'shipshape-d1-files-'));
    const live = join(dir, 'live.sqlite');
    const copy = join(dir, 'copy.sqlite');
    writeFileSync(copy, HEADER);
    writeFileSync(live, HEADER);
    writeFileSync(`${live}-wal`, 'newer pages');
    putDatabaseFiles(copy, live);
    expect(existsSync(`${live}-wal`)).toBe(false);
    expect(() => copyDatabaseFiles(join(dir, 'none.sqlite'), copy)).toThrow(/no SQLite file/);
    writeFileSync(join(dir, 'text.sqlite'), 'hello');
    expect(isSqliteFile(join(dir, 'text.sqlite'))).toBe(false);
    expect(isSqliteFile(join(dir, 'absent'))).toBe(false);
  });
});
