import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { MODULE_EXT, MODULES_ROOT } from '../../../package-root.ts';
import type { AccountState } from '../account-state.ts';
import type { CloudflareApi } from '../api-client.ts';
import type { GuardRun } from './guard-worker.ts';

/** The guard's Worker name unless `--name` says otherwise. */
export const GUARD_NAME = 'shipshape-guard';

/** Every minute: with the default 30 s lease, a dead runner's canary serves at most ~1.5 minutes. */
export const GUARD_SCHEDULE = '* * * * *';

/** A date the runtime and Cloudflare both know; the guard uses nothing newer than fetch and JSON. */
const COMPATIBILITY_DATE = '2025-09-01';

export interface GuardSettings {
  name: string;
  schedule: string;
  /** The API token the guard calls as (a secret binding of the Worker; never printed). */
  token: string;
}

export interface GuardInfo {
  name: string;
  installed: boolean;
  schedule: string | null;
  installedAt: string | null;
  lastRun: string | null;
  lastResult: GuardRun | null;
}

/** The guard Worker's module as uploaded: the compiled file, or the source with its types stripped. */
export function guardModule(): string {
  const text = readFileSync(
    join(MODULES_ROOT, 'targets', 'cloudflare', 'guard', `guard-worker${MODULE_EXT}`),
    'utf8',
  );
  return MODULE_EXT === '.ts' ? stripTypeScriptTypes(text) : text;
}

/**
 * Uploads the guard as a Worker of the account (a new version serving at once, as `wrangler deploy` does), sets
 * its cron trigger, and records it in the state database. Installing again replaces it (a new token, schedule or
 * shipshape version); the leases are untouched.
 */
export async function installGuard(
  api: CloudflareApi,
  state: AccountState,
  settings: GuardSettings,
): Promise<GuardInfo> {
  const database = await state.ready();
  const form = new FormData();
  const metadata = {
    main_module: 'guard.js',
    compatibility_date: COMPATIBILITY_DATE,
    bindings: [
      { type: 'plain_text', name: 'ACCOUNT_ID', text: api.accountId ?? '' },
      { type: 'plain_text', name: 'STATE_DATABASE', text: database },
      { type: 'plain_text', name: 'API_BASE', text: api.baseUrl },
      { type: 'plain_text', name: 'GUARD_NAME', text: settings.name },
      { type: 'secret_text', name: 'API_TOKEN', text: settings.token },
    ],
  };
  form.append('metadata', new Blob([JSON.stringify(metadata)], { type: 'application/json' }));
  const modules = {
    'guard.js': "export { guardHandler as default } from './guard-worker.js';\n",
    'guard-worker.js': guardModule(),
  };
  for (const [name, text] of Object.entries(modules))
    form.append(name, new Blob([text], { type: 'application/javascript+module' }), name);
  const script = api.account(`/workers/scripts/${encodeURIComponent(settings.name)}`);
  await api.call('PUT', script, { body: form, idempotent: true });
  await api.call('PUT', `${script}/schedules`, { body: [{ cron: settings.schedule }] });
  await state.query(
    `INSERT INTO shipshape_guard (name, installed_at, schedule) VALUES (?1, ?2, ?3)
     ON CONFLICT (name) DO UPDATE SET installed_at = excluded.installed_at, schedule = excluded.schedule`,
    [settings.name, new Date().toISOString(), settings.schedule],
    true,
  );
  return guardInfo(api, state, settings.name);
}

/** Whether the account runs the guard, on what schedule, and what its last run did. */
export async function guardInfo(api: CloudflareApi, state: AccountState, name: string): Promise<GuardInfo> {
  const rows = await state.query<{
    installed_at: string | null;
    schedule: string | null;
    last_run: string | null;
    last_result: string | null;
  }>(
    'SELECT installed_at, schedule, last_run, last_result FROM shipshape_guard WHERE name = ?1',
    [name],
    true,
  );
  const row = rows[0];
  const scripts = await api.call<Array<{ id: string }>>('GET', api.account('/workers/scripts'));
  const installed = scripts.some((s) => s.id === name);
  let schedule: string | null = null;
  if (installed) {
    const answer = await api.call<{ schedules: Array<{ cron: string }> }>(
      'GET',
      api.account(`/workers/scripts/${encodeURIComponent(name)}/schedules`),
    );
    schedule = answer.schedules.map((s) => s.cron).join(', ') || null;
  }
  return {
    name,
    installed,
    schedule,
    installedAt: row?.installed_at ?? null,
    lastRun: row?.last_run ?? null,
    lastResult: row?.last_result ? (JSON.parse(row.last_result) as GuardRun) : null,
  };
}

/** Deletes the guard's Worker and its record; false when the account had none. */
export async function removeGuard(api: CloudflareApi, state: AccountState, name: string): Promise<boolean> {
  const scripts = await api.call<Array<{ id: string }>>('GET', api.account('/workers/scripts'));
  const installed = scripts.some((s) => s.id === name);
  if (installed)
    await api.call('DELETE', api.account(`/workers/scripts/${encodeURIComponent(name)}`), {
      query: { force: true },
    });
  await state.query('DELETE FROM shipshape_guard WHERE name = ?1', [name], true);
  return installed;
}
