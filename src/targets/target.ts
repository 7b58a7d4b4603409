/**
 * The one interface every target implements. The pipeline only ever sees this; it never imports a
 * concrete target (local/ and cloudflare/ mirror each other behind `createTarget`).
 */

import type { Split } from '../events/types.ts';
import type { ReleaseStore } from '../state/release-store.ts';
import type { GuardFlags } from './cloudflare/guard/guard-worker.ts';

export type { Split };

/**
 * Marks a request shipshape sent itself (generated traffic, pinned checks): every target's data plane may count
 * it apart from its users' requests, so a check on users' traffic (the volume check) never sees its own load.
 */
export const SYNTHETIC_HEADER = 'x-shipshape-synthetic';

export interface Deployment {
  split: Split[];
  /** When this split took effect (ISO time), if the target knows. */
  since: string | null;
}

/** An immutable uploaded build of one worker. */
export interface Version {
  id: string;
  worker: string;
  hash: string;
  gitSha: string | null;
  message: string | null;
  createdAt: string;
}

/** A bundled worker, ready to upload: what Cloudflare would receive. */
export interface Artifact {
  worker: string;
  /** Directory holding the bundle (wrangler's --outdir). */
  dir: string;
  /** Entry module file name inside `dir`. */
  mainModule: string;
  /** sha256 over every bundle file (names and contents), hex. */
  hash: string;
  /** Static assets directory from the wrangler config, if any (absolute); null for a Pages project: its output is in `dir`. */
  assetsDir: string | null;
  /** Which bundler made it, e.g. "wrangler 4.164.0 (the project's own)". */
  builtWith?: string;
}

export interface UploadMeta {
  message?: string;
  gitSha?: string | null;
  tag?: string;
}

/** Per-version figures over [since, until). Latencies in milliseconds; NaN-free (0 when no requests). */
export interface MetricWindow {
  version: string;
  since: string;
  until: string;
  requests: number;
  /** 5xx responses plus exceptions thrown by the worker. */
  errors: number;
  errorRate: number;
  p50: number;
  p95: number;
  p99: number;
  /** Latency histogram buckets (upper bound ms → count) for distribution tests; may be empty. */
  latencyBuckets: Array<[number, number]>;
  /**
   * Users' requests among `requests`: neither marked with SYNTHETIC_HEADER nor pinned to a version by header.
   * Absent where the target cannot tell them apart (Cloudflare's analytics): all requests then count.
   */
  organic?: number;
  /**
   * Distinct Cloudflare-Workers-Version-Key values among users' requests: the clients this version served, where
   * users send version keys. Absent where the target cannot count them (Cloudflare's analytics).
   */
  clients?: number;
  /** The busiest routes (path patterns, ids as `:id`), busiest first, when the target can tell them apart. */
  routes?: RouteWindow[];
}

/** One route's share of a MetricWindow, so the judge can compare canary and baseline route by route. */
export interface RouteWindow {
  /** Path pattern: `/api/items/:id`. */
  route: string;
  requests: number;
  errors: number;
  latencyBuckets: Array<[number, number]>;
}

/** One D1 database's query times over a span, as the worker waited for them. Milliseconds. */
export interface QueryTimeWindow {
  binding: string;
  databaseName: string;
  databaseId: string;
  queries: number;
  p50: number;
  p95: number;
}

export interface MetricsQuery {
  version: string;
  since: Date;
  until: Date;
}

/** A handle to restore a database to the moment it was taken. */
export interface BackupRef {
  kind: 'sqlite-copy' | 'd1-bookmark';
  ref: string;
  binding: string;
  createdAt: string;
}

export interface SqlStatement {
  sql: string;
  params?: unknown[];
}

/** Low-level access to one D1 database; migrations build on this. */
export interface DatabaseDriver {
  readonly binding: string;
  readonly databaseName: string;
  readonly databaseId: string;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs the statements as one transaction: all or nothing. */
  batch(statements: SqlStatement[]): Promise<void>;
  backup(label: string): Promise<BackupRef>;
  restore(ref: BackupRef): Promise<void>;
}

export interface KvStore {
  readonly binding: string;
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  list(prefix?: string): Promise<string[]>;
}

export interface RequestInit2 extends RequestInit {
  /** Pin the request to this version with Cloudflare-Workers-Version-Overrides. */
  version?: string;
  /**
   * Other workers' versions pinned in the same header (worker name → version id): in a release of several
   * components, a dependant's calls through its service bindings reach the dependency's new version too.
   */
  pins?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * One component's platform: `createTarget(forComponent(config, component))` gives the target of that component
 * (its worker or Pages project, versions, deployment, data and metrics); a project without components has one.
 * Everything a release does to a component goes through its own target, and every event about it carries its
 * name, so the pipeline never mixes two components' versions.
 */
export interface Target {
  readonly name: 'local' | 'cloudflare';
  /** Base URL of the data plane (where users' requests go). */
  url(): Promise<string>;
  build(): Promise<Artifact>;
  upload(artifact: Artifact, meta: UploadMeta): Promise<Version>;
  deployment(): Promise<Deployment>;
  /** Atomic: every request after this resolves sees the new split. */
  setTraffic(split: Split[], message?: string): Promise<void>;
  versions(): Promise<Version[]>;
  request(path: string, init?: RequestInit2): Promise<Response>;
  /**
   * A version's own address, where the platform gives each version one (a Pages deployment's
   * `<id>.<project>.pages.dev`); absent: every version answers at `url()`, pinned by header.
   */
  addressOf?(version: string): Promise<string>;
  /**
   * The version's figures over [since, until), whole seconds. The contract the judge relies on:
   * - A window is complete once `until` is behind the target's lag: the local target counts a request in the
   *   second it finishes and answers at once (lag 0); Cloudflare's analytics arrive minutes late and sampled, so
   *   its target must not answer for seconds it has not settled (fail the read instead).
   * - A failed read loses nothing: the judge reads the same span again at its next look, and windows chain end
   *   to start, so nothing is counted twice.
   * - A version with no requests in the span is a window of zeros (never NaN, never an error).
   */
  metrics(query: MetricsQuery): Promise<MetricWindow>;
  /**
   * How late the target's figures settle (ms); the judge asks only for windows ending that long ago. Absent or 0:
   * a window is complete as soon as it ends (the local target).
   */
  readonly metricsLagMs?: number;
  /**
   * Every D1 database's query times over [since, until), whole seconds, behind `metricsLagMs` as `metrics`: the
   * local platform times each query in the runtime, Cloudflare answers from D1's analytics. Absent: not known.
   */
  queryTimes?(span: { since: Date; until: Date }): Promise<QueryTimeWindow[]>;
  database(binding?: string): DatabaseDriver;
  kv(binding: string): KvStore;
  /** Names of secrets the deployed worker has (for the env gate); local reads .dev.vars. */
  secretNames(): Promise<string[]>;
  close(): Promise<void>;
  /** The platform's lease on a running release (its watchdog); absent where the platform has none yet. */
  readonly guard?: ReleaseGuard;
  /** Journals kept with the account, for runners that share nothing; absent: `.shipshape/` is the only copy. */
  readonly releaseStore?: ReleaseStore;
  /** The Worker script a guard in the account switches back when a release's runner dies (target cloudflare). */
  readonly scriptName?: string;
}

/** The platform's view of the release lease. */
export interface LeaseState {
  /** The release the lease is for; null when no release holds it. */
  release: string | null;
  /** Bumped on every acquisition and takeover: a change carrying an older one is refused (LEASE_STALE). */
  generation: number;
  holderPid: number | null;
  expiresAt: string | null;
  ttlMs: number;
  /** The platform took the release over and runs (or is about to run) its recovery. */
  recovering: boolean;
  attempts: number;
  /** Where the holder runs, when the platform records it (the account's lease: another runner's host name). */
  host?: string | null;
  startedAt?: string | null;
  /** A guard outside the process (the account's guard Worker) put the lapsed release's traffic back. */
  restoredBy?: GuardRestoreRecord | null;
}

/** The release a lease is held for while it runs (not lapsed by `now`); null when free or lapsed. */
export function heldRelease(lease: LeaseState | null, now: Date): string | null {
  if (!lease?.release || !lease.expiresAt) return null;
  return Date.parse(lease.expiresAt) >= now.getTime() ? lease.release : null;
}

/**
 * A running release holds a lease with the platform and renews it; when renewals stop, the platform recovers the
 * release by itself. Every change this process makes carries the lease's generation once acquired.
 */
export interface ReleaseGuard {
  /**
   * True when the platform recovers a lapsed lease by itself (the local daemon's watchdog); false when nothing
   * watches between commands and the next deploy, rollback or `recover --lapsed` from any runner does it.
   */
  readonly watched: boolean;
  /** Takes the lease for `release` (a new generation); `expect`: only if the platform is at that generation. */
  acquire(release: string, ttlMs: number, expect?: number): Promise<number>;
  renew(): Promise<void>;
  release(): Promise<void>;
  /** Synchronous: is this process's generation still the current one (checked before every journal append). */
  current(): boolean;
  state(): Promise<LeaseState>;
  /**
   * Where something outside this process restores a lapsed release from the lease (the account's guard Worker):
   * records the version `worker` goes back to. Absent where the platform recovers by itself.
   */
  restoreOnLapse?(worker: string, version: string, flags: GuardFlags | null): Promise<void>;
  /** What that guard already restored for `release` (the recovery journals it as the rollback's traffic step). */
  restoredBy?(release: string): Promise<GuardRestoreRecord | null>;
}

/** A lapsed release's traffic, put back by a guard outside the process: when, each Worker's version, the flags. */
export interface GuardRestoreRecord {
  at: string;
  workers: Record<string, string>;
  /** `rollback.flags` were set too. */
  flags: boolean;
}
