import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The benchmark worker: `/eval?n=N&kind=get|rollout` runs N evaluations in one request (workerd freezes
 * clocks inside a request, so the caller times it), `/req` is a typical request (load flags, one rollout
 * check), `/naive` reads KV on every request as hand-written flag code does, `/stats` reports KV reads.
 */
const SOURCE = (runtime: string, ttl: number) => `
import { createFlags } from ${JSON.stringify(runtime)};
const flags = createFlags({
  definitions: {
    NEW_CHECKOUT: { type: 'percentage', default: 10 },
    SEND_EMAILS_ENABLED: { type: 'boolean', default: true },
    MAX_EMAILS_PER_RUN: { type: 'number', default: 5 },
  },
  cacheTtl: ${ttl},
});
let requests = 0;
let naiveReads = 0;
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/stats') return Response.json({ requests, naiveReads, ...flags.stats() });
    if (url.pathname === '/naive') {
      naiveReads++;
      const doc = JSON.parse((await env.FLAGS.get('feature_flags')) ?? '{}');
      return new Response(doc.SEND_EMAILS_ENABLED === false ? 'off' : 'on');
    }
    const f = await flags.load(env, ctx);
    if (url.pathname === '/eval') {
      const n = Number(url.searchParams.get('n'));
      const rollout = url.searchParams.get('kind') === 'rollout';
      let hits = 0;
      for (let i = 0; i < n; i++) {
        if (rollout ? f.enabled('NEW_CHECKOUT', 'user-' + i) : f.get('SEND_EMAILS_ENABLED')) hits++;
      }
      return Response.json({ hits });
    }
    requests++;
    const unit = url.searchParams.get('u') ?? String(requests);
    return new Response(f.enabled('NEW_CHECKOUT', unit) ? 'new' : 'old');
  },
};`;

export async function bundleBenchWorker(ttl: number): Promise<string> {
  const runtime = join(import.meta.dirname, '..', '..', 'src', 'flags', 'runtime.ts');
  const out = await build({
    stdin: { contents: SOURCE(runtime, ttl), loader: 'js', resolveDir: import.meta.dirname },
    bundle: true,
    format: 'esm',
    write: false,
  });
  return out.outputFiles[0].text;
}
