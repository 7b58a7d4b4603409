import type { EventBus } from '../events/bus.ts';
import type { Target } from '../targets/target.ts';
import { checkConfigValues, type FlagsConfig, flagDefinitions } from './definitions.ts';
import type { AuditEntry, FlagValue } from './flag-types.ts';
import { openFlagStore } from './open-store.ts';

/**
 * Sets `config.rollback.flags` (e.g. a new template off) after a release is rolled back, audited with the
 * release id. Does not touch KV when the config lists none. Throws ShipshapeError (FLAG_CONFIG_VALUE,
 * FLAG_DOCUMENT_INVALID, FLAG_KV_FAILED) with nothing written when a value or the document is bad.
 * @example await applyRollbackFlags(config, target, { reason: 'error rate 7% at 10%', releaseId: 'r-42' })
 */
export async function applyRollbackFlags(
  config: FlagsConfig,
  target: Pick<Target, 'kv'>,
  options: { reason: string; releaseId: string | null; actor?: string; now?: Date; bus?: EventBus },
): Promise<AuditEntry[]> {
  const wanted = config.rollback.flags as Record<string, FlagValue>;
  if (Object.keys(wanted).length === 0) return [];
  checkConfigValues(flagDefinitions(config), wanted, 'rollback.flags');
  const entries = await openFlagStore(config, target).apply(wanted, {
    actor: options.actor ?? 'shipshape rollback',
    reason: options.reason,
    action: 'rollback',
    release: options.releaseId ?? undefined,
    now: options.now,
  });
  const said = entries.map((e) => `${e.flag}=${JSON.stringify(e.new)}`).join(', ');
  options.bus?.emit({
    type: 'log',
    level: 'info',
    message: entries.length ? `rollback flags set: ${said}` : 'rollback flags already in force',
    data: { flags: entries },
  });
  return entries;
}
