import type { Miniflare } from 'miniflare';
import type { KvStore } from '../targets/target.ts';

/**
 * A KvStore over a real Miniflare KV namespace, for tests of the store before (or without) a full target.
 * @example const kv = await miniflareKvStore(mf, 'FLAGS')
 */
export async function miniflareKvStore(mf: Miniflare, binding: string): Promise<KvStore> {
  const ns = await mf.getKVNamespace(binding);
  return {
    binding,
    get: (key) => ns.get(key, 'text'),
    put: (key, value) => ns.put(key, value),
    delete: (key) => ns.delete(key),
    async list(prefix) {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await ns.list({ prefix, cursor });
        names.push(...page.keys.map((k) => k.name));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return names;
    },
  };
}
