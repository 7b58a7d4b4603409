import { type Ctx, defineErrors } from './define.ts';

/**
 * Errors of the Cloudflare target: its credentials, the REST API's codes (api-errors.ts maps each Cloudflare code
 * it can meet to one of these) and wrangler runs. `c.cfCode` is Cloudflare's own code, `c.operation` what was
 * asked (e.g. "POST …/deployments"), `c.permission` the token permission that operation needs.
 */
export const cloudflareErrors = defineErrors({
  CLOUDFLARE_TOKEN_MISSING: () => ({
    message: 'target "cloudflare" needs an API token: CLOUDFLARE_API_TOKEN is not set.',
    hint: 'Create a token at dash.cloudflare.com/profile/api-tokens with Workers Scripts Edit, D1 Edit, Workers KV Storage Edit and Account Analytics Read, then export CLOUDFLARE_API_TOKEN (never put it in shipshape.config).',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_ACCOUNT_MISSING: (c) => ({
    message: `target "cloudflare" does not know which account to use${c.reason ? `: ${c.reason}` : ''}.`,
    hint: 'Set CLOUDFLARE_ACCOUNT_ID, cloudflare.accountId in shipshape.config.ts, or account_id in the wrangler config.',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_AUTH: (c) => ({
    message: `Cloudflare refused the API token for ${c.operation} (${codeText(c)})${c.tokenValid === false ? ': the token is invalid, expired or for another account' : c.tokenValid === true ? `: the token is valid but lacks the permission "${c.permission}"` : ''}.`,
    hint: `The token needs "${c.permission}" on account ${c.accountId ?? '(unknown)'}${c.tokenValid === false ? '; check CLOUDFLARE_API_TOKEN is the token you created ("npx wrangler whoami" shows who it is)' : ''}. Edit it at dash.cloudflare.com/profile/api-tokens. Nothing was changed by this call.`,
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_NOT_FOUND: (c) => ({
    message: `Cloudflare found nothing at ${c.operation} (${codeText(c)}): ${c.reason}`,
    hint: `Check the account id (${c.accountId ?? 'unset'}): CLOUDFLARE_ACCOUNT_ID, cloudflare.accountId or wrangler's account_id must be the account the token belongs to.`,
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_SCRIPT_NOT_FOUND: (c) => ({
    message: `The Worker "${c.script}" does not exist on account ${c.accountId} (${codeText(c)}).`,
    hint: 'Deploy it once with "shipshape deploy" (its first version goes through wrangler deploy), or check the worker name and account id.',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_VERSION_NOT_FOUND: (c) => ({
    message: `Cloudflare does not know version ${c.version ?? '(given)'} of "${c.script}" (${codeText(c)}): ${c.reason}`,
    hint: 'Only the newest 100 versions can be deployed or rolled back to; "shipshape status" lists the ones that can.',
    kind: 'target',
  }),
  CLOUDFLARE_SECRET_CHANGED: (c) => ({
    message: `Cloudflare refused to deploy ${c.operation}: a secret changed since that version was active (${codeText(c)}).`,
    hint: 'The older version would run with the new secrets. Check it works with them, then deploy it yourself with ?force=true ("wrangler versions deploy" asks); shipshape never forces past this guard.',
    kind: 'target',
  }),
  CLOUDFLARE_DO_MIGRATION: (c) => ({
    message: `Cloudflare refused a version upload carrying a Durable Object migration (${codeText(c)}): ${c.reason}`,
    hint: 'A Durable Object migration cannot go out as a gradual version: deploy it once with "wrangler deploy" (served at once, no rollback across it), then release the following changes with shipshape.',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_NOT_FULLY_DEPLOYED: (c) => ({
    message: `Cloudflare refused ${c.operation} while the newest version is not fully deployed (${codeText(c)}): ${c.reason}`,
    hint: 'Finish or roll back the release in progress ("shipshape status"), then try again.',
    kind: 'target',
  }),
  CLOUDFLARE_RATE_LIMITED: (c) => ({
    message: `Cloudflare kept rate-limiting ${c.operation} after ${c.attempts} attempts (${codeText(c)}).`,
    hint: 'The account is over its API rate limit (1,200 requests per 5 minutes): wait a few minutes; another tool may be using the same token.',
    kind: 'target',
  }),
  CLOUDFLARE_D1_QUERY: (c) => ({
    message: `D1 refused a query on ${c.database} (${codeText(c)}): ${c.reason}`,
    hint: 'D1 refuses BEGIN/COMMIT/SAVEPOINT (a batch is already one transaction); statements are limited to 100 KB and 100 bound parameters.',
    kind: 'user',
    exit: 2,
  }),
  STATE_STORE_MISSING: (c) => ({
    message: `The state database "${c.database}" (cloudflare.state.d1) does not exist on this account.`,
    hint: `Create it once with "npx wrangler d1 create ${c.database}" (a database of its own, not the app's), or name an existing one; nothing was changed.`,
    kind: 'user',
    exit: 2,
  }),
  STATE_STORE_SHARED: (c) => ({
    message: `The state database "${c.database}" (cloudflare.state.d1) is one the Worker binds: restoring the app's data from a Time Travel bookmark would rewind the release history and the lock with it.`,
    hint: 'Give the state a database of its own ("npx wrangler d1 create shipshape-state") and name it in cloudflare.state.d1.',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_D1_NOT_FOUND: (c) => ({
    message: `D1 database ${c.database} does not exist on account ${c.accountId} (${codeText(c)}).`,
    hint: 'Check database_id in the wrangler config ("npx wrangler d1 list" lists the account\'s databases).',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_KV_NOT_FOUND: (c) => ({
    message: `KV namespace ${c.namespace ?? ''} does not exist on account ${c.accountId} (${codeText(c)}): ${c.reason}`,
    hint: 'Check the kv_namespaces id in the wrangler config ("npx wrangler kv namespace list").',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_REFUSED: (c) => ({
    message: `Cloudflare refused ${c.operation} (${codeText(c)}): ${c.reason}`,
    hint: "The message above is Cloudflare's own; fix the request it names (bindings, compatibility date, sizes) and run again.",
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_SPLIT_UNSUPPORTED: (c) => ({
    message: `Cloudflare cannot serve the split ${c.split}: ${c.reason}`,
    hint: 'A Worker always serves one or two versions summing to 100%; a first release cannot be withdrawn to nothing (delete the Worker with "wrangler delete" or deploy a fix).',
    kind: 'target',
  }),
  CLOUDFLARE_PIN_NOT_DEPLOYED: (c) => ({
    message: `Version ${c.version} of "${c.script}" is not in the current deployment, so Cloudflare would ignore a pin to it and route by percentage.`,
    hint: 'Deploy it at 0% beside the serving version first (the release does); a pinned check never runs against a version it cannot reach.',
    kind: 'target',
  }),
  CLOUDFLARE_PIN_IGNORED: (c) => ({
    message: `A request pinned to version ${c.version} of "${c.script}" was answered by version ${c.answered}: the pin was ignored.`,
    hint: 'Check the Cloudflare-Workers-Version-Overrides header reaches the worker (a proxy or route in front may drop it) and that the version is deployed.',
    kind: 'target',
  }),
  CLOUDFLARE_NO_BINDING: (c) => ({
    message: `${c.operation}: no ${c.kind} binding ${c.binding ? `"${c.binding}" ` : ''}in ${c.configPath} (known: ${c.known || 'none'}).`,
    hint: `Name a ${c.kind} binding of the wrangler config.`,
    kind: 'user',
    exit: 2,
  }),
  GUARD_NEEDS_STATE: (c) => ({
    message: `"shipshape guard ${c.action}" works on the account's release state, and ${c.why}.`,
    hint: 'Set target: "cloudflare" and cloudflare: { state: { d1: "shipshape-state" } } (create it with "npx wrangler d1 create shipshape-state"); the guard reads the leases there.',
    kind: 'user',
    exit: 2,
  }),
  GUARD_TOKEN_MISSING: (c) => ({
    message: `The guard's API token variable ${c.variable} is empty.`,
    hint: 'The guard calls the API as this token: D1 edit on the state database, Workers Scripts edit and (for rollback.flags) Workers KV Storage edit. Set the variable (or name another with --token-env) and run the install again; nothing was changed.',
    kind: 'user',
    exit: 2,
  }),
  CLOUDFLARE_WRANGLER_FAILED: (c) => ({
    message: `wrangler ${c.command} failed${c.cfCode ? ` (Cloudflare code ${c.cfCode})` : ''}: ${c.reason}`,
    hint: `Run "npx wrangler ${c.command}" in ${c.dir} with the same CLOUDFLARE_* variables to see it; its log folder is ${c.logs}.`,
    kind: 'target',
  }),
});

/** `code 10000` or `HTTP 503` or both: what Cloudflare answered. */
function codeText(c: Ctx): string {
  const parts = [c.cfCode ? `code ${c.cfCode}` : null, c.status ? `HTTP ${c.status}` : null];
  return parts.filter(Boolean).join(', ') || 'no answer';
}
