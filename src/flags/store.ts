import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { KvStore } from '../targets/target.ts';
import {
  type AuditEntry,
  appendAudit,
  auditKey,
  type FlagDefinitions,
  type FlagType,
  type FlagValue,
  parseAuditDocument,
  parseFlagDocument,
  valueProblem,
} from './flag-types.ts';

/** One flag as `flags list` shows it. `source` says where the value came from. */
export interface FlagState {
  name: string;
  /** null for a name stored in KV but not defined in config (kept, never deleted behind anyone's back). */
  type: FlagType | null;
  default: FlagValue | null;
  value: FlagValue | null;
  source: 'default' | 'override' | 'invalid-override' | 'undefined';
  description: string | null;
  /** The raw stored value when it is not of the flag's type (the worker ignores it). */
  stored?: unknown;
}

/** Who changes what, and why: recorded in the audit trail. */
export interface ChangeMeta {
  actor: string;
  reason: string | null;
  action: AuditEntry['action'];
  release?: string;
  now?: Date;
}

/**
 * Flag overrides in one KV document (`key`, a JSON object NAME → value) over config defaults, with an
 * append-only, bounded audit list at `<key>:audit`. Every write is validated first; a document that does not
 * parse is reported (FLAG_DOCUMENT_INVALID) and never overwritten.
 */
export class FlagStore {
  constructor(
    readonly kv: KvStore,
    readonly key: string,
    readonly definitions: FlagDefinitions,
  ) {}

  /** The stored overrides, exactly as in KV. */
  async overrides(): Promise<Record<string, unknown>> {
    return this.readDocument(this.key, parseFlagDocument);
  }

  async list(): Promise<FlagState[]> {
    const overrides = await this.overrides();
    const defined = Object.keys(this.definitions).map((name) => this.state(name, overrides));
    const extra = Object.keys(overrides).filter((name) => !this.definitions[name]);
    return [...defined, ...extra.map((name) => this.state(name, overrides))];
  }

  async get(name: string): Promise<FlagState> {
    return this.state(name, await this.overrides());
  }

  /**
   * Applies `changes` (null removes an override) after checking every one; writes the document, then the
   * audit entries. Changes that alter nothing are skipped; returns the entries written.
   */
  async apply(changes: Record<string, FlagValue | null>, meta: ChangeMeta): Promise<AuditEntry[]> {
    for (const [name, value] of Object.entries(changes)) {
      const definition = this.definitions[name];
      const problem = !definition
        ? 'not defined'
        : value === null
          ? null
          : valueProblem(definition.type, value);
      if (problem) throw new Error(`internal: unchecked flag change ${name}=${String(value)} (${problem})`);
    }
    const overrides = await this.overrides();
    const audit = await this.readDocument(auditKey(this.key), parseAuditDocument);
    const at = (meta.now ?? new Date()).toISOString();
    const next = { ...overrides };
    const entries: AuditEntry[] = [];
    for (const [name, value] of Object.entries(changes)) {
      const old = Object.hasOwn(overrides, name) ? (overrides[name] as FlagValue) : null;
      if (old === value) continue;
      if (value === null) delete next[name];
      else next[name] = value;
      const release = meta.release ? { release: meta.release } : {};
      entries.push({
        at,
        actor: meta.actor,
        action: meta.action,
        flag: name,
        old,
        new: value,
        reason: meta.reason,
        ...release,
      });
    }
    if (entries.length === 0) return [];
    await this.write(this.key, JSON.stringify(next), false);
    await this.write(auditKey(this.key), JSON.stringify(appendAudit(audit, entries)), true);
    return entries;
  }

  /** Audit entries, oldest first; the last `limit` when given. */
  async history(limit?: number): Promise<AuditEntry[]> {
    const entries = await this.readDocument(auditKey(this.key), parseAuditDocument);
    return limit ? entries.slice(-limit) : entries;
  }

  /** Reads and parses one KV document; KV failures and unparsable text become coded errors naming the key. */
  async readDocument<T>(key: string, parse: (text: string | null) => T): Promise<T> {
    let text: string | null;
    try {
      text = await this.kv.get(key);
    } catch (err) {
      throw kvFailed(this.kv.binding, 'get', key, err, false);
    }
    try {
      return parse(text);
    } catch (err) {
      throw new ShipshapeError('FLAG_DOCUMENT_INVALID', {
        binding: this.kv.binding,
        key,
        reason: (err as Error).message,
      });
    }
  }

  async write(key: string, text: string, written: boolean): Promise<void> {
    try {
      await this.kv.put(key, text);
    } catch (err) {
      throw kvFailed(this.kv.binding, 'put', key, err, written);
    }
  }

  private state(name: string, overrides: Record<string, unknown>): FlagState {
    const definition = this.definitions[name];
    const has = Object.hasOwn(overrides, name);
    const stored = overrides[name];
    if (!definition) {
      return {
        name,
        type: null,
        default: null,
        value: stored as FlagValue,
        source: 'undefined',
        description: null,
      };
    }
    const base = {
      name,
      type: definition.type,
      default: definition.default,
      description: definition.description ?? null,
    };
    if (!has) return { ...base, value: definition.default, source: 'default' };
    if (valueProblem(definition.type, stored) !== null) {
      return { ...base, value: definition.default, source: 'invalid-override', stored };
    }
    return { ...base, value: stored as FlagValue, source: 'override' };
  }
}

function kvFailed(binding: string, op: string, key: string, err: unknown, written: boolean): ShipshapeError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ShipshapeError('FLAG_KV_FAILED', { binding, op, key, reason, written }, { cause: err });
}
