/**
 * Flags benchmark: evaluation cost per call (in Node and inside workerd) and KV reads per request under load
 * on 127.0.0.1. Target: at most one KV read per isolate per cache TTL. Run: npm run bench:flags
 */
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import type { Miniflare } from 'miniflare';
import { inRollout } from '../../src/flags/bucket.ts';
import { mergeOverrides, withBuiltIns } from '../../src/flags/flag-types.ts';
import { FlagSnapshot } from '../../src/flags/runtime.ts';
import { createRuntime } from '../../src/toolchain/miniflare.ts';
import { bundleBenchWorker } from './bench-worker.ts';

const LOAD_SECONDS = Number(process.env.FLAGS_BENCH_SECONDS ?? 10);
const CONNECTIONS = 20;

function nodeCost(label: string, n: number, fn: (i: number) => unknown): string[] {
  for (let i = 0; i < 100_000; i++) fn(i);
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < n; i++) if (fn(i)) sink++;
  const ns = Number(process.hrtime.bigint() - start) / n;
  return [label, 'node', `${ns.toFixed(1)} ns`, String(sink > -1 ? n : 0)];
}

async function workerCost(mf: Miniflare, url: string, kind: string, n: number): Promise<string[]> {
  const time = async (count: number) => {
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 5; r++) {
      const start = process.hrtime.bigint();
      await (await mf.dispatchFetch(`${url}eval?kind=${kind}&n=${count}`)).text();
      best = Math.min(best, Number(process.hrtime.bigint() - start));
    }
    return best;
  };
  const empty = await time(0);
  const full = await time(n);
  return [
    kind === 'rollout' ? 'enabled(percentage, unit)' : 'get(boolean)',
    'workerd',
    `${((full - empty) / n).toFixed(1)} ns`,
    String(n),
  ];
}

interface LoadResult {
  requests: { average: number; total: number };
  latency: { p99: number };
}

async function load(url: string, path: string): Promise<{ rps: number; requests: number; p99: number }> {
  const result: LoadResult = await autocannon({
    url: `${url}${path.slice(1)}`,
    connections: CONNECTIONS,
    duration: LOAD_SECONDS,
  });
  return { rps: result.requests.average, requests: result.requests.total, p99: result.latency.p99 };
}

async function underLoad(ttl: number): Promise<string[][]> {
  const mf = createRuntime({
    modules: true,
    script: await bundleBenchWorker(ttl),
    compatibilityDate: '2025-09-01',
    kvNamespaces: { FLAGS: 'flags-bench' },
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const url = (await mf.ready).toString();
    const kv = await mf.getKVNamespace('FLAGS');
    await kv.put('feature_flags', JSON.stringify({ NEW_CHECKOUT: 25 }));
    const rows: string[][] = [];
    if (ttl === 5000) {
      rows.push(await workerCost(mf, url, 'get', 1_000_000), await workerCost(mf, url, 'rollout', 1_000_000));
    }
    const before = (await (await fetch(`${url}stats`)).json()) as { kvReads: number; requests: number };
    const cached = await load(url, '/req');
    const after = (await (await fetch(`${url}stats`)).json()) as {
      kvReads: number;
      requests: number;
      naiveReads: number;
    };
    const reads = after.kvReads - before.kvReads;
    const served = after.requests - before.requests;
    const naive = await load(url, '/naive');
    const final = (await (await fetch(`${url}stats`)).json()) as { naiveReads: number };
    return [
      ...rows,
      [
        `cached, TTL ${ttl} ms`,
        `${cached.rps.toFixed(0)}`,
        `${cached.p99} ms`,
        String(served),
        String(reads),
        (reads / served).toExponential(2),
        `${(LOAD_SECONDS * 1000) / ttl + 1}`,
      ],
      [
        `KV read per request (TTL ${ttl} run)`,
        `${naive.rps.toFixed(0)}`,
        `${naive.p99} ms`,
        String(naive.requests),
        String(final.naiveReads - after.naiveReads),
        '1.00e+0',
        '-',
      ],
    ];
  } finally {
    await mf.dispose();
  }
}

function print(title: string, header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const [i, row] of all.entries()) {
    console.log(row.map((c, j) => c.padEnd(widths[j])).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

const definitions = {
  NEW_CHECKOUT: { type: 'percentage', default: 10 },
  SEND_EMAILS_ENABLED: { type: 'boolean', default: true },
} as const;
const values = mergeOverrides(withBuiltIns(definitions), { NEW_CHECKOUT: 25 });
const snapshot = new FlagSnapshot<typeof definitions>(values);
const units = Array.from({ length: 1024 }, (_, i) => `user-${i}`);
const nodeRows = [
  nodeCost('get(boolean)', 10_000_000, () => snapshot.get('SEND_EMAILS_ENABLED')),
  nodeCost('enabled(percentage, unit)', 2_000_000, (i) => snapshot.enabled('NEW_CHECKOUT', units[i & 1023])),
  nodeCost('inRollout (murmur3, ASCII)', 2_000_000, (i) => inRollout('NEW_CHECKOUT', units[i & 1023], 25)),
];
const loadRows: string[][] = [];
const workerRows: string[][] = [];
for (const ttl of [5000, 1000]) {
  for (const row of await underLoad(ttl)) (row.length === 4 ? workerRows : loadRows).push(row);
}
print('Evaluation cost per call', ['evaluation', 'where', 'per call', 'calls'], [...nodeRows, ...workerRows]);
print(
  `KV reads per request under load (${CONNECTIONS} connections, ${LOAD_SECONDS}s each, one isolate, 127.0.0.1)`,
  ['mode', 'req/s', 'p99', 'requests', 'KV reads', 'reads/request', 'bound (s/TTL + 1)'],
  loadRows,
);
