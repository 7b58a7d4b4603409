import { projectWorker, type ResolvedConfig } from '../../config/resolved.ts';
import type { EventBus } from '../../events/bus.ts';
import { AccountLease } from './account-lease.ts';
import { AccountState } from './account-state.ts';
import type { CloudflareApi } from './api-client.ts';

/**
 * With `cloudflare.state`, the release lease and the journals in that D1 database of the account, whichever of the
 * project's components (a Worker or a Pages project) opens them; null without it: `.shipshape/` on this machine.
 */
export function sharedState(
  config: ResolvedConfig,
  api: CloudflareApi,
  bus: EventBus | undefined,
): { releaseStore: AccountState; guard: AccountLease } | null {
  if (!config.cloudflare.state) return null;
  const releaseStore = new AccountState(
    api,
    config.cloudflare.state.d1,
    config.worker.d1.map((d) => d.databaseId),
  );
  const guard = new AccountLease(
    releaseStore,
    { worker: projectWorker(config), env: config.env },
    (level, message) => bus?.emit({ type: 'log', level, message }),
  );
  return { releaseStore, guard };
}
