import { describe, expect, it } from 'vitest';
import { CfError } from './envelope.ts';
import type { CfBinding } from './state.ts';
import {
  bindingsSnapshot,
  checkRunnable,
  migrationTag,
  nextMigrations,
  snapshotBindings,
} from './upload-bindings.ts';

/** Every binding shape wrangler's createWorkerUploadForm writes for a kind the local runtime runs. */
const WRANGLER_BINDINGS: CfBinding[] = [
  { type: 'plain_text', name: 'LABEL', text: 'one' },
  { type: 'secret_text', name: 'KEY', text: 's3cret' },
  { type: 'json', name: 'CONF', json: { a: 1 } },
  { type: 'd1', name: 'DB', id: 'db-id', internalEnv: undefined },
  { type: 'kv_namespace', name: 'KV', namespace_id: 'kv-id' },
  { type: 'version_metadata', name: 'VERSION' },
  { type: 'r2_bucket', name: 'BUCKET', bucket_name: 'bucket', jurisdiction: undefined },
  { type: 'durable_object_namespace', name: 'COUNTER', class_name: 'Counter' },
  { type: 'queue', name: 'JOBS', queue_name: 'jobs', delivery_delay: 5 },
  { type: 'service', name: 'SELF', service: 'app', entrypoint: 'Admin' },
  { type: 'analytics_engine', name: 'AE', dataset: 'events' },
  { type: 'ratelimit', name: 'LIMIT', namespace_id: '1001', simple: { limit: 10, period: 10 } },
  { type: 'workflow', name: 'FLOW', workflow_name: 'flow', class_name: 'Flow', script_name: undefined },
  { type: 'assets', name: 'ASSETS' },
];

const snapshot = (bindings: CfBinding[], migrations: unknown[] = [], assets = null) =>
  bindingsSnapshot(
    null,
    { compatibilityDate: '2025-09-01', compatibilityFlags: [], migrations },
    bindings,
    assets,
  );

describe('bindingsSnapshot: wrangler upload metadata to the local runtime settings', () => {
  it('maps every runnable kind as the wrangler config would give it', () => {
    const s = bindingsSnapshot(
      null,
      {
        compatibilityDate: '2025-09-01',
        compatibilityFlags: ['nodejs_compat'],
        migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }],
      },
      WRANGLER_BINDINGS,
      { config: { not_found_handling: 'single-page-application', run_worker_first: ['/api/*'] } },
    );
    expect(s.vars).toEqual({ LABEL: 'one', KEY: 's3cret' });
    expect(s.d1).toEqual([{ binding: 'DB', databaseId: 'db-id' }]);
    expect(s.kv).toEqual([{ binding: 'KV', id: 'kv-id' }]);
    expect(s.versionMetadata).toBe('VERSION');
    expect(s.assets).toEqual({
      binding: 'ASSETS',
      notFoundHandling: 'single-page-application',
      htmlHandling: null,
      runWorkerFirst: ['/api/*'],
    });
    expect(s.bindings).toMatchObject({
      jsonVars: { CONF: { a: 1 } },
      r2: [{ binding: 'BUCKET', bucketName: 'bucket' }],
      durableObjects: [{ binding: 'COUNTER', className: 'Counter', scriptName: null }],
      sqliteClasses: ['Counter'],
      queueProducers: [{ binding: 'JOBS', queue: 'jobs', deliveryDelay: 5 }],
      services: [{ binding: 'SELF', service: 'app', entrypoint: 'Admin' }],
      analyticsEngine: [{ binding: 'AE', dataset: 'events' }],
      ratelimits: [{ binding: 'LIMIT', namespaceId: '1001', limit: 10, period: 10 }],
      workflows: [{ binding: 'FLOW', name: 'flow', className: 'Flow', scriptName: null }],
    });
  });

  it('reads back as the API lists bindings (secrets are listed from the upload record, not from here)', () => {
    const s = snapshot(WRANGLER_BINDINGS.filter((b) => b.type !== 'secret_text'));
    const back = snapshotBindings(s).map((b) => `${b.type}:${b.name}`);
    expect(back.sort()).toEqual(
      WRANGLER_BINDINGS.filter((b) => b.type !== 'secret_text' && b.type !== 'assets')
        .map((b) => `${b.type}:${b.name}`)
        .sort(),
    );
  });

  it('a binding missing its resource field is a 400 10021 naming the field', () => {
    for (const [b, field] of [
      [{ type: 'd1', name: 'DB' }, 'id'],
      [{ type: 'kv_namespace', name: 'KV' }, 'namespace_id'],
      [{ type: 'queue', name: 'Q' }, 'queue_name'],
      [{ type: 'durable_object_namespace', name: 'D' }, 'class_name'],
      [{ type: 'workflow', name: 'W', class_name: 'W' }, 'workflow_name'],
      [{ type: 'analytics_engine', name: 'A' }, 'dataset'],
    ] as Array<[CfBinding, string]>) {
      const err = catchError(() => snapshot([b]));
      expect(err).toMatchObject({ status: 400, code: 10021 });
      expect(err.message).toContain(`"${field}"`);
    }
  });
});

describe('checkRunnable', () => {
  it('refuses unknown kinds and other Workers’ objects, workflows and services (400 10021); its own pass', () => {
    expect(catchError(() => checkRunnable({ type: 'vectorize', name: 'V' }, 'app'))).toMatchObject({
      code: 10021,
    });
    const other = { type: 'durable_object_namespace', name: 'D', class_name: 'C', script_name: 'other' };
    expect(catchError(() => checkRunnable(other, 'app'))).toMatchObject({ status: 400, code: 10021 });
    expect(() => checkRunnable({ ...other, script_name: 'app' }, 'app')).not.toThrow();
    expect(
      catchError(() => checkRunnable({ type: 'service', name: 'S', service: 'api' }, 'app')),
    ).toMatchObject({
      code: 10021,
    });
    expect(() => checkRunnable({ type: 'service', name: 'S', service: 'app' }, 'app')).not.toThrow();
  });
});

describe('nextMigrations and migrationTag', () => {
  const v1 = [{ new_sqlite_classes: ['A'], tag: 'v1' }];
  it('appends the steps, the last tagged new_tag; nothing sent keeps the previous list', () => {
    expect(nextMigrations([], { new_tag: 'v1', steps: [{ new_sqlite_classes: ['A'] }] })).toEqual(v1);
    const next = nextMigrations(v1, {
      old_tag: 'v1',
      new_tag: 'v3',
      steps: [{ new_classes: ['B'] }, { deleted_classes: ['B'] }],
    });
    expect(next).toEqual([...v1, { new_classes: ['B'] }, { deleted_classes: ['B'], tag: 'v3' }]);
    expect(migrationTag(next)).toBe('v3');
    expect(nextMigrations(v1, undefined)).toBe(v1);
    expect(migrationTag([])).toBeNull();
  });
  it('accepts the single-step form ({tag, new_classes})', () => {
    expect(nextMigrations([], { tag: 'v1', new_sqlite_classes: ['A'] })).toEqual([
      { new_sqlite_classes: ['A'], tag: 'v1' },
    ]);
  });
  it('refuses a wrong old_tag, or none when the Worker has one, and a missing new_tag (400 10021)', () => {
    expect(catchError(() => nextMigrations(v1, { old_tag: 'v0', new_tag: 'v2', steps: [] }))).toMatchObject({
      code: 10021,
    });
    expect(catchError(() => nextMigrations(v1, { new_tag: 'v2', steps: [] }))).toMatchObject({ code: 10021 });
    expect(catchError(() => nextMigrations([], { steps: [{}] }))).toMatchObject({ status: 400, code: 10021 });
  });
});

function catchError(f: () => unknown): CfError {
  try {
    f();
  } catch (err) {
    if (err instanceof CfError) return err;
    throw err;
  }
  throw new Error('expected a CfError');
}
