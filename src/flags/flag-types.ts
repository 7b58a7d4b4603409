/**
 * Flag types shared by the CLI store and the worker runtime. No Node imports: this file is bundled into workers.
 */

export type FlagType = 'boolean' | 'number' | 'string' | 'percentage';
export type FlagValue = boolean | number | string;

/** One flag as written in config: its type, the value used when KV holds no override, and what it is for. */
export interface FlagDefinition {
  type: FlagType;
  default: FlagValue;
  description?: string;
}

export type FlagDefinitions = Record<string, FlagDefinition>;

/** The built-in kill switch; always defined, whatever the config says. */
export const EMERGENCY_STOP = 'EMERGENCY_STOP';

export const EMERGENCY_STOP_DEFINITION = {
  type: 'boolean',
  default: false,
  description: 'Kill switch: the worker answers 503 while true (shipshape emergency stop|resume).',
} as const satisfies FlagDefinition;

/** The definitions plus EMERGENCY_STOP (a user definition of it must be boolean; ours wins otherwise). */
export function withBuiltIns(definitions: FlagDefinitions): FlagDefinitions {
  const own = definitions[EMERGENCY_STOP];
  const stop = own?.type === 'boolean' ? own : EMERGENCY_STOP_DEFINITION;
  return { ...definitions, [EMERGENCY_STOP]: stop };
}

/**
 * Why `value` is not a valid `type` value, or null when it is.
 * @example valueProblem('percentage', 120) // 'a whole number from 0 to 100'
 */
export function valueProblem(type: FlagType, value: unknown): string | null {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'a finite number';
    case 'string':
      return typeof value === 'string' ? null : 'a string';
    case 'percentage':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100
        ? null
        : 'a whole number from 0 to 100';
  }
}

/**
 * Overrides merged over defaults, one flag at a time: a stored value of the wrong type falls back to the
 * default (a worker must never crash on a bad KV write), and names not defined are ignored.
 */
export function mergeOverrides(
  definitions: FlagDefinitions,
  overrides: Record<string, unknown>,
): Record<string, FlagValue> {
  const values: Record<string, FlagValue> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    const stored = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    values[name] =
      stored !== undefined && valueProblem(definition.type, stored) === null
        ? (stored as FlagValue)
        : definition.default;
  }
  return values;
}

/** Parses the KV document: a JSON object of NAME → value. Throws a plain Error on anything else. */
export function parseFlagDocument(text: string | null): Record<string, unknown> {
  if (text === null || text.trim() === '') return {};
  const parsed: unknown = JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('expected a JSON object of flag name to value');
  }
  return parsed as Record<string, unknown>;
}

/** One change in the audit trail, kept in KV under `<key>:audit` so any machine can read the history. */
export interface AuditEntry {
  /** ISO time of the change. */
  at: string;
  /** Who: `--actor`, git user.name, or the admin route's label. */
  actor: string;
  action: 'set' | 'unset' | 'emergency-stop' | 'emergency-resume' | 'rollback' | 'admin';
  flag: string;
  /** Stored override before and after; null means no override (the default applies). */
  old: FlagValue | null;
  new: FlagValue | null;
  reason: string | null;
  release?: string;
}

/** Most entries the audit list keeps; older ones drop off the front. */
export const AUDIT_LIMIT = 500;

export function auditKey(key: string): string {
  return `${key}:audit`;
}

/** Parses the audit list; throws a plain Error when it is not a JSON array. */
export function parseAuditDocument(text: string | null): AuditEntry[] {
  if (text === null || text.trim() === '') return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of audit entries');
  return parsed as AuditEntry[];
}

/** The audit list with `entries` appended, bounded to AUDIT_LIMIT. */
export function appendAudit(existing: AuditEntry[], entries: AuditEntry[]): AuditEntry[] {
  return [...existing, ...entries].slice(-AUDIT_LIMIT);
}
