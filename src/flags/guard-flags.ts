import type { GuardFlags } from '../targets/cloudflare/guard/guard-worker.ts';
import { checkConfigValues, type FlagsConfig, flagBinding, flagDefinitions } from './definitions.ts';
import { AUDIT_LIMIT, auditKey } from './flag-types.ts';

/**
 * `rollback.flags` as the account's guard sets them when a release's runner dies: the KV namespace the flags
 * binding names, the document's key and its audit list. Null without rollback flags. Checked now, so a value the
 * definitions refuse stops the release before its canary takes traffic rather than at its rollback.
 */
export function guardFlags(config: FlagsConfig): GuardFlags | null {
  const values = config.rollback.flags;
  if (Object.keys(values).length === 0) return null;
  checkConfigValues(flagDefinitions(config), values, 'rollback.flags');
  const binding = flagBinding(config);
  const namespace = config.worker.kv.find((k) => k.binding === binding)?.id;
  if (!namespace) return null;
  return {
    namespace,
    key: config.flags.key,
    auditKey: auditKey(config.flags.key),
    auditLimit: AUDIT_LIMIT,
    values,
  };
}
