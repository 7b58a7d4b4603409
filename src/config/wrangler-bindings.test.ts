import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './wrangler.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-bindings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = { name: 'app', main: 'src/index.ts', compatibility_date: '2025-09-01' };

function load(config: Record<string, unknown>, env: string | null = null) {
  writeFileSync(join(dir, 'wrangler.json'), JSON.stringify({ ...base, ...config }));
  return loadWorkerConfig(dir, env);
}

describe('wrangler bindings beyond D1 and KV', () => {
  it('reads every kind the local target runs', () => {
    const w = load({
      vars: { A: 'x', LIMITS: { max: 3 } },
      r2_buckets: [{ binding: 'FILES', bucket_name: 'uploads' }],
      durable_objects: { bindings: [{ name: 'COUNTER', class_name: 'Counter' }] },
      migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }],
      queues: {
        producers: [{ binding: 'Q', queue: 'jobs' }],
        consumers: [{ queue: 'jobs', max_batch_size: 1 }],
      },
      services: [{ binding: 'AUTH', service: 'auth', entrypoint: 'Auth' }],
      workflows: [{ binding: 'FLOW', name: 'flow', class_name: 'Flow' }],
      triggers: { crons: ['*/5 * * * *'] },
      ratelimits: [{ name: 'LIMIT', namespace_id: '1', simple: { limit: 5, period: 10 } }],
      analytics_engine_datasets: [{ binding: 'AE', dataset: 'views' }],
      assets: {
        directory: 'public',
        not_found_handling: 'single-page-application',
        run_worker_first: ['/api/*'],
      },
    });
    expect(w.vars).toEqual({ A: 'x', LIMITS: '{"max":3}' });
    expect(w.bindings).toMatchObject({
      jsonVars: { LIMITS: { max: 3 } },
      r2: [{ binding: 'FILES', bucketName: 'uploads' }],
      durableObjects: [{ binding: 'COUNTER', className: 'Counter', scriptName: null }],
      sqliteClasses: ['Counter'],
      queueProducers: [{ binding: 'Q', queue: 'jobs' }],
      queueConsumers: [{ queue: 'jobs', maxBatchSize: 1, maxRetries: null }],
      services: [{ binding: 'AUTH', service: 'auth', entrypoint: 'Auth' }],
      workflows: [{ binding: 'FLOW', name: 'flow', className: 'Flow' }],
      crons: ['*/5 * * * *'],
      ratelimits: [{ binding: 'LIMIT', namespaceId: '1', limit: 5, period: 10 }],
      analyticsEngine: [{ binding: 'AE', dataset: 'views' }],
    });
    expect(w.assets).toMatchObject({
      notFoundHandling: 'single-page-application',
      runWorkerFirst: ['/api/*'],
    });
    expect(w.unsupported).toEqual([]);
  });

  it('reports what the local target cannot run, naming each binding', () => {
    const w = load({
      ai: { binding: 'AI' },
      vectorize: [{ binding: 'V', index_name: 'i' }],
      hyperdrive: [{ binding: 'HD', id: 'x' }],
      durable_objects: { bindings: [{ name: 'REMOTE', class_name: 'R', script_name: 'other' }] },
    });
    expect(w.unsupported.map((u) => `${u.kind}:${u.binding}:${u.code}`)).toEqual([
      'ai:AI:LOCAL_BINDING_UNSUPPORTED',
      'vectorize:V:LOCAL_BINDING_UNSUPPORTED',
      'hyperdrive:HD:LOCAL_BINDING_UNSUPPORTED',
      'durable_objects:REMOTE:LOCAL_BINDING_UNSUPPORTED',
    ]);
    expect(w.unsupported[0].local).toContain('env.AI is undefined');
    expect(w.bindings.durableObjects).toEqual([]);
  });

  it('an environment does not inherit bindings it does not repeat, but keeps triggers and migrations', () => {
    const w = load(
      {
        r2_buckets: [{ binding: 'FILES', bucket_name: 'uploads' }],
        ai: { binding: 'AI' },
        triggers: { crons: ['0 * * * *'] },
        migrations: [{ tag: 'v1', new_classes: ['C'] }],
        env: { staging: { queues: { producers: [{ binding: 'Q', queue: 'jobs-staging' }] } } },
      },
      'staging',
    );
    expect(w.bindings.r2).toEqual([]);
    expect(w.unsupported).toEqual([]);
    expect(w.bindings.queueProducers).toEqual([{ binding: 'Q', queue: 'jobs-staging', deliveryDelay: null }]);
    expect(w.bindings.crons).toEqual(['0 * * * *']);
    expect(w.bindings.doMigrations).toHaveLength(1);
  });
});
