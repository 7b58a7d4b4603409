import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock } from './lock.ts';
import { lockPath } from './paths.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const take = (release: string, extra: { now?: Date; leaseMs?: number } = {}) =>
  acquireLock({ projectDir: dir, worker: 'app', env: null, release, ...extra });

function plant(owner: Record<string, unknown>): void {
  const path = lockPath(dir, 'app', null);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(owner));
}

describe('acquireLock', () => {
  it('refuses a second holder with exit 5, naming the holder', () => {
    const first = take('r-1');
    expect(() => take('r-2')).toThrow(expect.objectContaining({ code: 'LOCK_HELD', exitCode: 5 }));
    try {
      take('r-2');
    } catch (err) {
      expect((err as Error).message).toContain('r-1');
      expect((err as Error).message).toContain(`pid ${process.pid}`);
    }
    first.release();
    take('r-3').release();
  });

  it('takes over a lock whose process is dead', () => {
    const dead = spawnSync('true').pid as number;
    plant({
      pid: dead,
      host: hostname(),
      release: 'r-dead',
      startedAt: new Date().toISOString(),
      leaseUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    const lock = take('r-new');
    expect(lock.tookOverFrom?.release).toBe('r-dead');
    lock.release();
  });

  it('takes over a lock whose lease expired', () => {
    plant({
      pid: process.pid,
      host: hostname(),
      release: 'r-old',
      startedAt: '2020-01-01T00:00:00Z',
      leaseUntil: '2020-01-01T00:02:00Z',
    });
    expect(take('r-new').tookOverFrom?.release).toBe('r-old');
  });

  it('keeps the lock while the lease is renewed', () => {
    const lock = take('r-1', { leaseMs: 1000 });
    lock.renew(new Date(Date.now() + 500));
    expect(() => take('r-2', { now: new Date(Date.now() + 1200) })).toThrow(
      expect.objectContaining({ code: 'LOCK_HELD' }),
    );
  });
});
