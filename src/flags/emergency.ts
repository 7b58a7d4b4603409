import type { AuditEntry, FlagValue } from './flag-types.ts';
import { EMERGENCY_STOP } from './flag-types.ts';
import type { FlagStore } from './store.ts';

/** What `emergency stop` saved so `emergency resume` can put every flag back as it was. */
interface StopRecord {
  at: string;
  actor: string;
  reason: string;
  /** Override of each flag before the stop; null = none (the default applied). */
  previous: Record<string, FlagValue | null>;
}

export interface EmergencyResult {
  /** False when the state asked for was already in force (nothing written). */
  changed: boolean;
  entries: AuditEntry[];
}

const recordKey = (key: string) => `${key}:emergency`;

/**
 * Sets EMERGENCY_STOP=true plus `flags` (config `flags.emergency`, already checked). The overrides before the
 * stop are saved first at `<key>:emergency`, so a stop that fails half-way can still be resumed.
 */
export async function stopAll(
  store: FlagStore,
  flags: Record<string, FlagValue>,
  meta: { actor: string; reason: string; now?: Date },
): Promise<EmergencyResult> {
  const changes: Record<string, FlagValue> = { ...flags, [EMERGENCY_STOP]: true };
  const overrides = await store.overrides();
  const existing = await store.readDocument(recordKey(store.key), parseRecord);
  // A second stop keeps the first record: it alone knows the values from before the incident.
  if (!existing) {
    const previous = Object.fromEntries(
      Object.keys(changes).map((name) => [
        name,
        Object.hasOwn(overrides, name) ? (overrides[name] as FlagValue) : null,
      ]),
    );
    const record: StopRecord = {
      at: (meta.now ?? new Date()).toISOString(),
      actor: meta.actor,
      reason: meta.reason,
      previous,
    };
    await store.write(recordKey(store.key), JSON.stringify(record), false);
  }
  const entries = await store.apply(changes, { ...meta, action: 'emergency-stop' });
  return { changed: entries.length > 0, entries };
}

/**
 * Undoes `stopAll`: each flag it set goes back to its override from before the stop (or to its default).
 * Without a saved record (EMERGENCY_STOP set by hand) only EMERGENCY_STOP is cleared.
 */
export async function resumeAll(
  store: FlagStore,
  meta: { actor: string; reason: string | null; now?: Date },
): Promise<EmergencyResult> {
  const record = await store.readDocument(recordKey(store.key), parseRecord);
  const changes: Record<string, FlagValue | null> = record
    ? Object.fromEntries(Object.entries(record.previous).filter(([name]) => store.definitions[name]))
    : { [EMERGENCY_STOP]: null };
  if (changes[EMERGENCY_STOP] === true) changes[EMERGENCY_STOP] = null;
  const entries = await store.apply(changes, { ...meta, action: 'emergency-resume' });
  if (record) await store.kv.delete(recordKey(store.key));
  return { changed: entries.length > 0, entries };
}

function parseRecord(text: string | null): StopRecord | null {
  if (text === null) return null;
  const parsed = JSON.parse(text) as StopRecord;
  if (!parsed || typeof parsed.previous !== 'object') throw new Error('expected an emergency stop record');
  return parsed;
}
