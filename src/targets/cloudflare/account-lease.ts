import { hostname } from 'node:os';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { GuardRestoreRecord, LeaseState, ReleaseGuard } from '../target.ts';
import { type AccountState, NOW_MS } from './account-state.ts';
import type { GuardFlags, GuardRestore } from './guard/guard-worker.ts';

/** A guard whose last run is older than this is reported as not running (it runs every minute by default). */
const GUARD_SILENT_MS = 10 * 60_000;

interface LeaseRow {
  release: string | null;
  generation: number;
  pid: number | null;
  host: string | null;
  started_at: string | null;
  expires_at: number | null;
  ttl_ms: number;
  restored: string | null;
  now: number;
}

/**
 * The release lock of a worker and environment, kept in the account's state database so that runners sharing
 * nothing exclude each other. Taking it is one conditional upsert (D1 runs a statement atomically on its single
 * primary: the compare-and-set): it succeeds only when the lease is free or expired by the database's clock, or,
 * for a recovery, still at the generation it expects. Each take bumps the generation; a renewal or a traffic
 * change under an older one is refused (LEASE_STALE), so a paused runner that wakes after a takeover changes
 * nothing.
 */
export class AccountLease implements ReleaseGuard {
  /**
   * No shipshape process watches between commands: the account's guard Worker, when installed, puts a lapsed
   * release's traffic back, and the next command from any runner completes the release.
   */
  readonly watched = false;
  private generation: number | null = null;
  private lost = false;

  /** Whether this process said yet what protects its release should it die (said once, at its first plan). */
  private told = false;

  constructor(
    private readonly store: AccountState,
    private readonly key: { worker: string; env: string | null },
    /** Where the lease's news goes (the command's log). */
    private readonly say?: (level: 'info' | 'warn', message: string) => void,
  ) {}

  private get id(): string {
    return `${this.key.worker}${this.key.env ? `.${this.key.env}` : ''}`;
  }

  async acquire(release: string, ttlMs: number, expect?: number): Promise<number> {
    const before = await this.row();
    const taken = await this.store.query<{ generation: number }>(
      `INSERT INTO shipshape_leases (key, release, generation, pid, host, started_at, expires_at, ttl_ms)
       VALUES (?1, ?2, 1, ?3, ?4, ?5, ${NOW_MS} + ?6, ?6)
       ON CONFLICT (key) DO UPDATE SET release = excluded.release, generation = shipshape_leases.generation + 1,
         pid = excluded.pid, host = excluded.host, started_at = excluded.started_at,
         expires_at = excluded.expires_at, ttl_ms = excluded.ttl_ms, plan = NULL
       WHERE CASE WHEN ?7 IS NULL
         THEN shipshape_leases.release IS NULL OR shipshape_leases.expires_at < ${NOW_MS}
         ELSE shipshape_leases.generation = ?7 END
       RETURNING generation`,
      [this.id, release, process.pid, hostname(), new Date().toISOString(), ttlMs, expect ?? null],
    );
    if (taken.length === 0) {
      const holder = await this.row();
      if (expect !== undefined)
        throw new ShipshapeError('LEASE_STALE', {
          release,
          generation: expect,
          current: holder?.generation ?? 'none',
        });
      throw new ShipshapeError('LOCK_HELD', {
        release: holder?.release ?? 'unknown',
        worker: this.key.worker,
        env: this.key.env,
        pid: holder?.pid ?? '?',
        host: holder?.host ?? 'another runner',
        startedAt: holder?.started_at ?? '?',
      });
    }
    if (before?.release && expect === undefined)
      this.say?.(
        'warn',
        `took over the expired lease of release ${before.release} (${before.host ?? 'another runner'}) in ${this.store.where}`,
      );
    this.generation = taken[0].generation;
    this.lost = false;
    return this.generation;
  }

  async renew(): Promise<void> {
    if (this.generation === null) return;
    await this.conditional(
      `UPDATE shipshape_leases SET expires_at = ${NOW_MS} + ttl_ms WHERE key = ?1 AND generation = ?2 RETURNING generation`,
    );
  }

  async release(): Promise<void> {
    if (this.generation === null) return;
    await this.conditional(
      `UPDATE shipshape_leases SET release = NULL, pid = NULL, host = NULL, expires_at = NULL, plan = NULL,
         restored = NULL
       WHERE key = ?1 AND generation = ?2 RETURNING generation`,
    );
    this.generation = null;
  }

  /**
   * Leaves in the lease the version `worker` goes back to if this runner dies: the account's guard (`shipshape
   * guard install`) restores it once the lease lapses. Refused like any change when the lease was taken over.
   */
  async restoreOnLapse(worker: string, version: string, flags: GuardFlags | null): Promise<void> {
    if (this.generation === null) return;
    await this.conditional(
      `UPDATE shipshape_leases SET plan = json_set(COALESCE(plan, '{"workers":{}}'),
         '$.workers."' || ?3 || '"', ?4, '$.flags', json(?5))
       WHERE key = ?1 AND generation = ?2 RETURNING generation`,
      [worker, version, flags ? JSON.stringify(flags) : null],
    );
    if (!this.told) {
      this.told = true;
      await this.sayWhatProtects();
    }
  }

  /** Whether the account's guard runs (its newest run): what happens to this release if this runner dies. */
  private async sayWhatProtects(): Promise<void> {
    const rows = await this.store.query<{ name: string; installed_at: string; last_run: string | null }>(
      'SELECT name, installed_at, last_run FROM shipshape_guard ORDER BY last_run DESC LIMIT 1',
      [],
      true,
    );
    const guard = rows[0];
    if (!guard) {
      this.say?.(
        'warn',
        'no account guard is installed: if this runner dies, its canary keeps its share until the next deploy, rollback or "shipshape recover --lapsed" (see "shipshape guard install")',
      );
      return;
    }
    const ran = guard.last_run
      ? `last run ${guard.last_run}`
      : `installed ${guard.installed_at}, not run yet`;
    // A guard that stopped running (its token revoked, the Worker deleted by hand) protects nothing.
    const silent = Date.now() - Date.parse(guard.last_run ?? guard.installed_at) > GUARD_SILENT_MS;
    this.say?.(
      silent ? 'warn' : 'info',
      silent
        ? `the account's guard (${guard.name}) has not run for over ${GUARD_SILENT_MS / 60_000} minutes (${ran}): check "shipshape guard status"; until it runs, a dead runner's canary keeps its share until the next command`
        : `if this runner dies, the account's guard (${guard.name}, ${ran}) restores what served once the lease lapses`,
    );
  }

  /** What the account's guard restored for `release` when its lease lapsed; null when it did nothing. */
  async restoredBy(release: string): Promise<GuardRestoreRecord | null> {
    const rows = await this.store.query<{ restored: string | null }>(
      'SELECT restored FROM shipshape_leases WHERE key = ?1',
      [this.id],
      true,
    );
    return guardRecord(rows[0]?.restored ?? null, release);
  }

  /** Before a change to the account: refused when another runner took the lease since (fencing at the change). */
  async assertCurrent(): Promise<void> {
    if (this.generation === null) return;
    const row = await this.row();
    if (row?.generation !== this.generation) this.stale(row?.generation ?? 'none');
  }

  current(): boolean {
    return !this.lost;
  }

  async state(): Promise<LeaseState> {
    const row = await this.row();
    // A lapsed lease still names its release (expiresAt says it lapsed): that is the release left to recover.
    return {
      release: row?.release ?? null,
      generation: row?.generation ?? 0,
      holderPid: row?.pid ?? null,
      expiresAt: row?.expires_at ? new Date(row.expires_at).toISOString() : null,
      ttlMs: row?.ttl_ms ?? 0,
      recovering: false,
      attempts: 0,
      host: row?.host ?? null,
      startedAt: row?.started_at ?? null,
      restoredBy: row ? guardRecord(row.restored, row.release) : null,
    };
  }

  private async conditional(sql: string, params: unknown[] = []): Promise<void> {
    const done = await this.store.query(sql, [this.id, this.generation, ...params]);
    if (done.length === 0) this.stale((await this.row())?.generation ?? 'none');
  }

  private stale(current: number | string): never {
    this.lost = true;
    throw new ShipshapeError('LEASE_STALE', {
      release: null,
      generation: this.generation,
      current,
      reason: `another runner took the lease in ${this.store.where} after this one stopped renewing it`,
    });
  }

  private async row(): Promise<LeaseRow | null> {
    const rows = await this.store.query<LeaseRow>(
      `SELECT release, generation, pid, host, started_at, expires_at, ttl_ms, restored, ${NOW_MS} AS now
       FROM shipshape_leases WHERE key = ?1`,
      [this.id],
      true,
    );
    return rows[0] ?? null;
  }
}

/** The guard's record in a lease row, when it is about `release`. */
function guardRecord(text: string | null, release: string | null): GuardRestoreRecord | null {
  if (!text || !release) return null;
  const record = JSON.parse(text) as GuardRestore;
  return record.release === release
    ? { at: record.at, workers: record.workers, flags: record.flags === true }
    : null;
}
