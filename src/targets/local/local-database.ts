import type { D1Binding, KvBinding } from '../../config/worker-config.ts';
import type { BackupRef, DatabaseDriver, KvStore, SqlStatement } from '../target.ts';
/** One control API call (the target reconnects behind it when the daemon restarted). */
export type ControlCall = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

/** D1 through the daemon: the same database every local version of the worker sees. */
export class LocalDatabase implements DatabaseDriver {
  readonly binding: string;
  readonly databaseName: string;
  readonly databaseId: string;

  constructor(
    d1: D1Binding,
    private readonly call: ControlCall,
  ) {
    this.binding = d1.binding;
    this.databaseName = d1.databaseName;
    this.databaseId = d1.databaseId;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const r = await this.call<{ rows: T[] }>('POST', '/d1/query', {
      databaseId: this.databaseId,
      sql,
      params,
    });
    return r.rows;
  }

  /** One D1 batch: a single transaction, all statements or none. */
  async batch(statements: SqlStatement[]): Promise<void> {
    await this.call('POST', '/d1/batch', { databaseId: this.databaseId, statements });
  }

  async backup(label: string): Promise<BackupRef> {
    return this.call<BackupRef>('POST', '/d1/backup', {
      databaseId: this.databaseId,
      binding: this.binding,
      label,
    });
  }

  async restore(ref: BackupRef): Promise<void> {
    await this.call('POST', '/d1/restore', { databaseId: this.databaseId, ref });
  }
}

/** KV through the daemon: the namespace every local version of the worker sees. */
export class LocalKv implements KvStore {
  readonly binding: string;
  private readonly namespaceId: string;

  constructor(
    kv: KvBinding,
    private readonly call: ControlCall,
  ) {
    this.binding = kv.binding;
    this.namespaceId = kv.id;
  }

  async get(key: string): Promise<string | null> {
    return (await this.op<{ value: string | null }>('get', { key })).value;
  }

  async put(key: string, value: string): Promise<void> {
    await this.op('put', { key, value });
  }

  async delete(key: string): Promise<void> {
    await this.op('delete', { key });
  }

  async list(prefix?: string): Promise<string[]> {
    return (await this.op<{ keys: string[] }>('list', { prefix: prefix ?? null })).keys;
  }

  private async op<T>(name: string, body: Record<string, unknown>): Promise<T> {
    return this.call<T>('POST', `/kv/${name}`, { namespaceId: this.namespaceId, ...body });
  }
}
