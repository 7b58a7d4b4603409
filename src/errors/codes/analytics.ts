import { defineErrors } from './define.ts';

/** Errors of reading per-version metrics from Cloudflare's GraphQL Analytics API (the `cloudflare` target). */
export const analyticsErrors = defineErrors({
  ANALYTICS_NOT_AUTHORIZED: (c) => ({
    message: `The API token may not read analytics of account ${c.account}: Cloudflare's GraphQL API answered "${c.reason}".`,
    hint: `Give the token the "Account Analytics Read" permission (Account → Account Analytics → Read) for account ${c.account}, and check that this account id is the one the worker lives in.`,
    kind: 'user',
    exit: 2,
  }),
  ANALYTICS_DATASET_MISSING: (c) => ({
    message: `Cloudflare's GraphQL API has no ${c.dataset ?? 'workersInvocationsAdaptive'} dataset for account ${c.account}${c.reason ? `: ${c.reason}` : ''}.`,
    hint: 'Workers analytics come from the workersInvocationsAdaptive dataset; check the account id, that the account has Workers enabled, and that its plan includes Workers analytics.',
    kind: 'user',
    exit: 2,
  }),
  ANALYTICS_FIELDS_MISSING: (c) => ({
    message: `Cloudflare's workersInvocationsAdaptive dataset lacks fields the canary judge needs: ${c.fields}.`,
    hint: 'The judge compares versions by scriptVersion with wall-time quantiles; without them it cannot tell the new version from the old. Check https://www.cloudflarestatus.com/ and report it to shipshape with the list above.',
    kind: 'target',
  }),
  ANALYTICS_NOT_SETTLED: (c) => ({
    message: `Analytics for ${c.version} up to ${c.until} are not settled yet: Cloudflare's analytics lag ${c.lagSeconds}s, so they are complete only up to ${c.settledUntil}.`,
    hint: 'Nothing is lost: the judge reads the same span again at its next look. Lower "analyticsLag" in shipshape.config only if your account\'s analytics really arrive sooner.',
    kind: 'target',
  }),
  ANALYTICS_QUERY_FAILED: (c) => ({
    message: `Cloudflare's GraphQL Analytics API refused the metrics query${c.path ? ` at ${c.path}` : ''}: ${c.reason}`,
    hint: 'Usually transient (rate limit or a busy analytics backend): the judge reads the same span again at its next look.',
    kind: 'target',
  }),
});
