/**
 * The account's guard: a Worker with a cron trigger, installed by `shipshape guard install`, that finishes what a
 * dead runner left half-done. A release on target cloudflare with `cloudflare.state` leaves in its lease row the
 * version each Worker returns to (its restore plan); when the lease lapses (the runner was killed, its machine
 * suspended), the guard takes the lease over (a new generation, so a runner that wakes is fenced), puts those
 * versions back at 100%, sets `rollback.flags`, and records what it did in the row. The steps a Worker cannot run
 * (the rollback hooks, the health re-check, the notice, closing the journal) are completed by the next shipshape
 * command from any runner, which reads the record and journals the guard's steps as the rollback's own.
 *
 * It talks to the account only through Cloudflare's REST API (D1 query, Workers deployments, KV), with a token it
 * holds as a secret: the state database is never bound, so it works wherever the API answers.
 *
 * This module imports nothing: the install uploads it as it is, beside a one-line main module that re-exports
 * `guardHandler` (a Worker's main module may export only handlers). Shipshape imports its types and SQL from here
 * so that both sides agree on the row.
 */

/** The database's own clock in ms: every runner's lease, and the guard's, is judged by one clock. */
export const NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/** How long the guard holds a lease it took while it switches traffic (a failed switch is retried after it). */
export const GUARD_HOLD_MS = 60_000;

/** The host name a lease taken by the guard names. */
export const GUARD_HOST = 'the account guard';

/** What a running release leaves in its lease row: the version each Worker goes back to if it dies. */
export interface RestorePlan {
  workers: Record<string, string>;
  /** `rollback.flags`, set in the flags document as a finished rollback sets them; null when there are none. */
  flags?: GuardFlags | null;
}

/** Where the flags live (a KV namespace and key, with its audit list) and what the rollback sets. */
export interface GuardFlags {
  namespace: string;
  key: string;
  auditKey: string;
  auditLimit: number;
  values: Record<string, string | number | boolean>;
}

/** What the guard did, left in the lease row for the command that completes the release. */
export interface GuardRestore {
  release: string;
  /** When the traffic was back (ISO). */
  at: string;
  /** Worker → the version now serving 100%. */
  workers: Record<string, string>;
  /** The lease generation the guard took it over with. */
  generation: number;
  /** Whether it also set `rollback.flags`. */
  flags: boolean;
}

/** The guard's bindings (install sets them): where the API is, whose account, which database, and its token. */
export interface GuardEnv {
  API_TOKEN: string;
  ACCOUNT_ID: string;
  STATE_DATABASE: string;
  /** `https://api.cloudflare.com/client/v4` unless set. */
  API_BASE?: string;
  GUARD_NAME?: string;
}

/** One run: what was restored, what failed (retried at the next run), and when. */
export interface GuardRun {
  at: string;
  restored: GuardRestore[];
  failed: Array<{ lease: string; release: string; error: string }>;
}

interface LapsedRow {
  key: string;
  release: string;
  generation: number;
  plan: string;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Finds every lapsed lease with a restore plan and restores it; records the run in `shipshape_guard`. */
export async function guardOnce(
  env: GuardEnv,
  // Called unbound: the runtime's fetch refuses to be called as another object's method ("Illegal invocation").
  fetcher: Fetch = (input, init) => fetch(input, init),
): Promise<GuardRun> {
  const api = new AccountApi(env, fetcher);
  const run: GuardRun = { at: new Date().toISOString(), restored: [], failed: [] };
  const lapsed = await api.query<LapsedRow>(
    `SELECT key, release, generation, plan FROM shipshape_leases
     WHERE release IS NOT NULL AND plan IS NOT NULL AND expires_at < ${NOW_MS}`,
  );
  for (const row of lapsed) {
    try {
      const restored = await restore(api, row);
      if (restored) run.restored.push(restored);
    } catch (err) {
      run.failed.push({ lease: row.key, release: row.release, error: String((err as Error).message ?? err) });
    }
  }
  await api.query(
    `INSERT INTO shipshape_guard (name, last_run, last_result) VALUES (?1, ?2, ?3)
     ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run, last_result = excluded.last_result`,
    [env.GUARD_NAME ?? 'shipshape-guard', run.at, JSON.stringify(run)],
  );
  return run;
}

async function restore(api: AccountApi, row: LapsedRow): Promise<GuardRestore | null> {
  // Compare-and-set on the generation the row showed: a runner or another run that took it first wins.
  const taken = await api.query<{ generation: number }>(
    `UPDATE shipshape_leases SET generation = generation + 1, host = ?3, pid = NULL,
       expires_at = ${NOW_MS} + ${GUARD_HOLD_MS}
     WHERE key = ?1 AND generation = ?2 AND plan IS NOT NULL AND expires_at < ${NOW_MS}
     RETURNING generation`,
    [row.key, row.generation, GUARD_HOST],
  );
  if (taken.length === 0) return null;
  const generation = taken[0].generation;
  const plan = JSON.parse(row.plan) as RestorePlan;
  for (const [worker, version] of Object.entries(plan.workers))
    await api.serveOnly(
      worker,
      version,
      `shipshape guard: release ${row.release} stopped renewing its lease`,
    );
  if (plan.flags) await setFlags(api, plan.flags, row.release);
  const restored: GuardRestore = {
    release: row.release,
    at: new Date().toISOString(),
    workers: plan.workers,
    generation,
    flags: Boolean(plan.flags),
  };
  // Lapsed again at once, still naming the release: the next command takes it over and completes the rest.
  await api.query(
    `UPDATE shipshape_leases SET plan = NULL, restored = ?3, expires_at = ${NOW_MS}
     WHERE key = ?1 AND generation = ?2`,
    [row.key, generation, JSON.stringify(restored)],
  );
  return restored;
}

type FlagValue = string | number | boolean;

/**
 * The flags document (NAME → override) with the rollback's values, and one audit entry per change, in the shapes
 * `shipshape flags` reads. Values already in force change nothing.
 */
async function setFlags(api: AccountApi, flags: GuardFlags, release: string): Promise<void> {
  const overrides = JSON.parse((await api.kvGet(flags.namespace, flags.key)) ?? '{}') as Record<
    string,
    FlagValue
  >;
  const at = new Date().toISOString();
  const reason = `release ${release} stopped renewing its lease: rolled back by the account's guard`;
  const entries = Object.entries(flags.values)
    .filter(([flag, value]) => overrides[flag] !== value)
    .map(([flag, value]) => ({
      at,
      actor: GUARD_HOST,
      action: 'rollback',
      flag,
      old: Object.hasOwn(overrides, flag) ? overrides[flag] : null,
      new: value,
      reason,
      release,
    }));
  if (entries.length === 0) return;
  await api.kvPut(flags.namespace, flags.key, JSON.stringify({ ...overrides, ...flags.values }));
  const audit = JSON.parse((await api.kvGet(flags.namespace, flags.auditKey)) ?? '[]') as unknown[];
  await api.kvPut(
    flags.namespace,
    flags.auditKey,
    JSON.stringify([...audit, ...entries].slice(-flags.auditLimit)),
  );
}

interface Envelope<T> {
  success?: boolean;
  errors?: Array<{ code: number; message: string }>;
  result?: T;
}

class AccountApi {
  private readonly base: string;

  constructor(
    private readonly env: GuardEnv,
    private readonly fetcher: Fetch,
  ) {
    this.base = `${(env.API_BASE || 'https://api.cloudflare.com/client/v4').replace(/\/+$/, '')}/accounts/${env.ACCOUNT_ID}`;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const answers = await this.call<Array<{ results: T[] }>>(
      'POST',
      `/d1/database/${this.env.STATE_DATABASE}/query`,
      { sql, params },
    );
    return answers.at(-1)?.results ?? [];
  }

  /** The worker's deployment as `version` at 100%, unless it already is. */
  async serveOnly(worker: string, version: string, message: string): Promise<void> {
    const path = `/workers/scripts/${encodeURIComponent(worker)}/deployments`;
    const { deployments } = await this.call<{
      deployments: Array<{ versions: Array<{ version_id: string; percentage: number }> }>;
    }>('GET', path);
    const live = deployments[0]?.versions ?? [];
    if (live.length === 1 && live[0].version_id === version && live[0].percentage === 100) return;
    await this.call('POST', path, {
      strategy: 'percentage',
      versions: [{ version_id: version, percentage: 100 }],
      annotations: { 'workers/message': message },
    });
  }

  /** A KV value as text; null when the key does not exist. */
  async kvGet(namespace: string, key: string): Promise<string | null> {
    const res = await this.fetcher(`${this.base}${kvPath(namespace, key)}`, {
      headers: { authorization: `Bearer ${this.env.API_TOKEN}` },
    });
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET KV ${key}: ${res.status}`);
    return res.text();
  }

  async kvPut(namespace: string, key: string, value: string): Promise<void> {
    await this.call('PUT', kvPath(namespace, key), value);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetcher(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.env.API_TOKEN}`,
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }),
      },
      body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
    });
    const envelope = (await res.json().catch(() => ({}))) as Envelope<T>;
    if (!res.ok || envelope.success === false) {
      const said = (envelope.errors ?? []).map((e) => `${e.code}: ${e.message}`).join('; ');
      throw new Error(`${method} ${path}: ${res.status}${said ? ` (${said})` : ''}`);
    }
    return envelope.result as T;
  }
}

function kvPath(namespace: string, key: string): string {
  return `/storage/kv/namespaces/${encodeURIComponent(namespace)}/values/${encodeURIComponent(key)}`;
}

/** The Worker's handlers (the uploaded main module re-exports them as its default). */
export const guardHandler = {
  async scheduled(_controller: unknown, env: GuardEnv): Promise<void> {
    const run = await guardOnce(env);
    // The run's record is in the state database; the log line is for `wrangler tail`.
    console.log(JSON.stringify({ restored: run.restored.length, failed: run.failed }));
    if (run.failed.length > 0) throw new Error(`${run.failed.length} lapsed release(s) not restored yet`);
  },
  fetch(): Response {
    return new Response('Not found', { status: 404 });
  },
};
