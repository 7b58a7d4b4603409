import type { D1Binding, KvBinding } from '../../config/worker-config.ts';
import type { BackupRef, DatabaseDriver, KvStore, SqlStatement } from '../target.ts';
import type { CloudflareApi } from './api-client.ts';

interface D1Result<T> {
  results: T[];
  success: boolean;
}

/** A read that may be sent again after a 5xx or a dropped connection without running anything twice. */
const READ_ONLY = /^\s*(select|pragma|explain)\b/i;

/**
 * D1 through its REST API: the same database every version of the worker sees. `batch` is one `/query` request
 * with a `batch` array (D1 runs it as one transaction); `backup()` is a Time Travel bookmark of now and `restore()`
 * restores the database in place to it (Time Travel keeps 30 days on paid plans, 7 on free ones).
 */
export class CloudflareDatabase implements DatabaseDriver {
  readonly binding: string;
  readonly databaseName: string;
  readonly databaseId: string;

  constructor(
    d1: D1Binding,
    private readonly api: CloudflareApi,
  ) {
    this.binding = d1.binding;
    this.databaseName = d1.databaseName;
    this.databaseId = d1.databaseId;
  }

  private path(tail: string): string {
    return this.api.account(`/d1/database/${encodeURIComponent(this.databaseId)}${tail}`);
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const results = await this.api.call<Array<D1Result<T>>>('POST', this.path('/query'), {
      body: { sql, params },
      idempotent: READ_ONLY.test(sql),
    });
    return results.at(-1)?.results ?? [];
  }

  /** One D1 batch: a single transaction, all statements or none. */
  async batch(statements: SqlStatement[]): Promise<void> {
    if (statements.length === 0) return;
    await this.api.call('POST', this.path('/query'), {
      body: { batch: statements.map((s) => ({ sql: s.sql, params: s.params ?? [] })) },
      idempotent: statements.every((s) => READ_ONLY.test(s.sql)),
    });
  }

  /** A Time Travel bookmark of the database as it is now (taken before the first statement of a migration). */
  async backup(_label: string): Promise<BackupRef> {
    const { bookmark } = await this.api.call<{ bookmark: string }>('GET', this.path('/time_travel/bookmark'));
    return { kind: 'd1-bookmark', ref: bookmark, binding: this.binding, createdAt: new Date().toISOString() };
  }

  /** Restores the database in place to the bookmark (an undo bookmark is kept by Cloudflare as previous_bookmark). */
  async restore(ref: BackupRef): Promise<void> {
    if (ref.kind !== 'd1-bookmark') {
      throw new Error(
        `a ${ref.kind} backup was taken on another target; Cloudflare restores only D1 bookmarks`,
      );
    }
    await this.api.call('POST', this.path('/time_travel/restore'), {
      query: { bookmark: ref.ref },
      idempotent: true,
    });
  }
}

/** KV through its REST API. Writes may take up to a minute to be seen at every edge location. */
export class CloudflareKv implements KvStore {
  readonly binding: string;
  private readonly namespaceId: string;

  constructor(
    kv: KvBinding,
    private readonly api: CloudflareApi,
  ) {
    this.binding = kv.binding;
    this.namespaceId = kv.id;
  }

  private path(tail: string): string {
    return this.api.account(`/storage/kv/namespaces/${encodeURIComponent(this.namespaceId)}${tail}`);
  }

  async get(key: string): Promise<string | null> {
    const path = this.path(`/values/${encodeURIComponent(key)}`);
    const answer = await this.api.raw('GET', path, {}, [404]);
    if (answer.status !== 404) return answer.text;
    // A missing key is 404 code 10009; a missing namespace (10013) is an error.
    if (/"code"\s*:\s*10009/.test(answer.text)) return null;
    throw await this.api.refusal('GET', path, answer);
  }

  async put(key: string, value: string): Promise<void> {
    await this.api.call('PUT', this.path(`/values/${encodeURIComponent(key)}`), {
      body: value,
      contentType: 'text/plain',
    });
  }

  async delete(key: string): Promise<void> {
    await this.api.call('DELETE', this.path(`/values/${encodeURIComponent(key)}`));
  }

  async list(prefix?: string): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const answer = await this.api.raw('GET', this.path('/keys'), {
        query: { prefix, cursor, limit: 1000 },
      });
      const body = JSON.parse(answer.text) as {
        result: Array<{ name: string }>;
        result_info?: { cursor?: string };
      };
      names.push(...body.result.map((k) => k.name));
      cursor = body.result_info?.cursor || undefined;
    } while (cursor);
    return names;
  }
}
