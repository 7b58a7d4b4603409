import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { lockPath } from './paths.ts';

export interface LockOwner {
  pid: number;
  host: string;
  release: string;
  startedAt: string;
  /** The lease: past this time the lock is stale even if the process seems alive. */
  leaseUntil: string;
}

export interface HeldLock {
  owner: LockOwner;
  /** Extends the lease; call well before it ends. */
  renew(now?: Date): void;
  release(): void;
  /** Set when a stale lock was taken over: who held it. */
  tookOverFrom: LockOwner | null;
}

const DEFAULT_LEASE_MS = 2 * 60_000;

/**
 * Takes the worker+environment lock with a lease (exit 5 naming the holder when someone else has it). A lock
 * whose process is dead (same host) or whose lease has expired is taken over, and the previous owner returned.
 */
export function acquireLock(options: {
  projectDir: string;
  worker: string;
  env: string | null;
  release: string;
  now?: Date;
  leaseMs?: number;
  /**
   * A release whose lock may be taken over even while its process lives: the platform fenced it (its lease
   * lapsed, e.g. a suspended process) and started this recovery of it.
   */
  takeOver?: string;
}): HeldLock {
  const path = lockPath(options.projectDir, options.worker, options.env);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const now = options.now ?? new Date();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    release: options.release,
    startedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
  };
  let tookOverFrom: LockOwner | null = null;
  if (!tryCreate(path, owner)) {
    const holder = readLock(path);
    if (holder && isLive(holder, now) && !(options.takeOver && holder.release === options.takeOver)) {
      throw new ShipshapeError('LOCK_HELD', { ...holder, worker: options.worker, env: options.env });
    }
    // Move the stale lock aside first so that of two processes taking it over, only one wins the create.
    const stale = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, stale);
      rmSync(stale, { force: true });
    } catch {
      // Someone else moved it first; the create below decides.
    }
    if (!tryCreate(path, owner)) {
      const winner = readLock(path);
      throw new ShipshapeError('LOCK_HELD', {
        ...(winner ?? owner),
        worker: options.worker,
        env: options.env,
      });
    }
    tookOverFrom = holder;
  }
  return {
    owner,
    tookOverFrom,
    renew(at = new Date()) {
      owner.leaseUntil = new Date(at.getTime() + leaseMs).toISOString();
      const current = readLock(path);
      if (current && current.pid === owner.pid && current.release === owner.release) {
        writeFileSync(`${path}.tmp`, JSON.stringify(owner), { mode: 0o600 });
        renameSync(`${path}.tmp`, path);
      }
    },
    release() {
      const current = readLock(path);
      if (current && current.pid === owner.pid && current.release === owner.release)
        rmSync(path, { force: true });
    },
  };
}

/** The current holder, or null. A corrupt lock file counts as stale (its owner cannot be known). */
export function readLock(path: string): LockOwner | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

export function isLive(owner: LockOwner, now: Date): boolean {
  if (new Date(owner.leaseUntil).getTime() < now.getTime()) return false;
  if (owner.host !== hostname()) return true;
  return pidAlive(owner.pid);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  try {
    writeFileSync(path, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
