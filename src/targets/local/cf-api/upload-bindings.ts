import { emptyBindings, type WorkerBindings } from '../../../config/worker-bindings.ts';
import type { WorkerSnapshot } from '../version-store.ts';
import { CF_CODES } from './codes.ts';
import { CfError } from './envelope.ts';
import type { CfBinding } from './state.ts';

/** Upload metadata binding types the local runtime runs (the shapes wrangler's `createWorkerUploadForm` writes). */
export const RUNNABLE_BINDINGS = new Set([
  'plain_text',
  'secret_text',
  'json',
  'd1',
  'kv_namespace',
  'version_metadata',
  'r2_bucket',
  'durable_object_namespace',
  'queue',
  'service',
  'analytics_engine',
  'ratelimit',
  'workflow',
  'assets',
  'inherit',
]);

const str = (v: unknown, field: string, b: CfBinding): string => {
  if (typeof v === 'string' && v !== '') return v;
  throw new CfError(
    400,
    CF_CODES.invalidScript,
    `Binding "${b.name}" of type ${b.type} needs a string "${field}"`,
  );
};
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Refuses a binding the local runtime would not run as Cloudflare does: an unknown type, or a Durable Object,
 * Workflow or service that lives in another Worker (the local platform runs one Worker per world).
 */
export function checkRunnable(b: CfBinding, script: string): void {
  if (!RUNNABLE_BINDINGS.has(b.type)) {
    throw new CfError(
      400,
      CF_CODES.invalidScript,
      `Binding "${b.name}" of type ${b.type} is not run by the local platform; remove it or test it on Cloudflare`,
    );
  }
  const other = (field: string) => {
    const named = b[field];
    if (typeof named === 'string' && named !== '' && named !== script) {
      throw new CfError(
        400,
        CF_CODES.invalidScript,
        `Binding "${b.name}" (${b.type}) names Worker "${named}": the local platform runs only "${script}" here, so a binding to another Worker's code is not run`,
      );
    }
  };
  if (b.type === 'durable_object_namespace' || b.type === 'workflow') other('script_name');
  if (b.type === 'service') other('service');
}

/** Durable Object migrations as wrangler sends them: `{old_tag?, new_tag, steps: [...]}` (or one step inline). */
interface UploadMigrations {
  old_tag?: string;
  new_tag?: string;
  tag?: string;
  steps?: Array<Record<string, unknown>>;
}

/**
 * The version's migrations: the previous version's list, plus the upload's steps (the last one tagged `new_tag`).
 * An `old_tag` that is not the Worker's current tag is refused, as Cloudflare refuses a migration whose
 * precondition fails.
 */
export function nextMigrations(previous: unknown[], given: unknown): unknown[] {
  if (given === undefined || given === null) return previous;
  const m = given as UploadMigrations;
  const current = migrationTag(previous);
  if ((m.old_tag ?? null) !== current) {
    throw new CfError(
      400,
      CF_CODES.invalidScript,
      `Migration precondition failed: old_tag is ${JSON.stringify(m.old_tag ?? null)}, the Worker's current migration tag is ${JSON.stringify(current)}`,
    );
  }
  const tag = m.new_tag ?? m.tag;
  if (typeof tag !== 'string')
    throw new CfError(400, CF_CODES.invalidScript, 'migrations.new_tag is required');
  const { old_tag: _o, new_tag: _n, tag: _t, steps, ...inline } = m as Record<string, unknown>;
  const list = Array.isArray(steps) ? (steps as Array<Record<string, unknown>>) : [inline];
  return [...previous, ...list.map((step, i) => ({ ...step, ...(i === list.length - 1 ? { tag } : {}) }))];
}

/** The tag of the last migration applied (Cloudflare's `migration_tag`), null with none. */
export function migrationTag(migrations: unknown[]): string | null {
  for (let i = migrations.length - 1; i >= 0; i--) {
    const tag = (migrations[i] as { tag?: unknown }).tag;
    if (typeof tag === 'string') return tag;
  }
  return null;
}

/** Assets options from the upload's `metadata.assets.config`, bound to the `assets` binding's name if any. */
export interface UploadAssets {
  config?: Record<string, unknown>;
}

/**
 * The local runtime's settings for an upload's bindings (already resolved: no `inherit` left): plain and secret
 * text as vars, JSON as values, and every runnable kind in `bindings`, as the wrangler config would give them.
 */
export function bindingsSnapshot(
  env: string | null,
  meta: { compatibilityDate: string; compatibilityFlags: string[]; migrations: unknown[] },
  bindings: CfBinding[],
  assets: UploadAssets | null,
): WorkerSnapshot {
  const vars: Record<string, string> = {};
  const b: WorkerBindings = emptyBindings();
  const snapshot: WorkerSnapshot = {
    env,
    compatibilityDate: meta.compatibilityDate,
    compatibilityFlags: meta.compatibilityFlags,
    vars,
    d1: [],
    kv: [],
    assets: null,
    versionMetadata: null,
    bindings: b,
  };
  for (const x of bindings) {
    switch (x.type) {
      case 'plain_text':
      case 'secret_text':
        vars[x.name] = String(x.text ?? '');
        break;
      case 'json':
        b.jsonVars[x.name] = x.json;
        break;
      case 'd1':
        snapshot.d1.push({ binding: x.name, databaseId: str(x.id ?? x.database_id, 'id', x) });
        break;
      case 'kv_namespace':
        snapshot.kv.push({ binding: x.name, id: str(x.namespace_id, 'namespace_id', x) });
        break;
      case 'version_metadata':
        snapshot.versionMetadata = x.name;
        break;
      case 'r2_bucket':
        b.r2.push({ binding: x.name, bucketName: str(x.bucket_name, 'bucket_name', x) });
        break;
      case 'durable_object_namespace':
        b.durableObjects.push({
          binding: x.name,
          className: str(x.class_name, 'class_name', x),
          scriptName: null,
        });
        break;
      case 'queue':
        b.queueProducers.push({
          binding: x.name,
          queue: str(x.queue_name, 'queue_name', x),
          deliveryDelay: num(x.delivery_delay),
        });
        break;
      case 'service':
        b.services.push({
          binding: x.name,
          service: str(x.service, 'service', x),
          entrypoint: typeof x.entrypoint === 'string' ? x.entrypoint : null,
        });
        break;
      case 'analytics_engine':
        b.analyticsEngine.push({ binding: x.name, dataset: str(x.dataset, 'dataset', x) });
        break;
      case 'ratelimit': {
        const simple = (x.simple ?? {}) as { limit?: unknown; period?: unknown };
        b.ratelimits.push({
          binding: x.name,
          namespaceId: String(x.namespace_id ?? x.name),
          limit: num(simple.limit) ?? 100,
          period: simple.period === 10 ? 10 : 60,
        });
        break;
      }
      case 'workflow':
        b.workflows.push({
          binding: x.name,
          name: str(x.workflow_name, 'workflow_name', x),
          className: str(x.class_name, 'class_name', x),
          scriptName: null,
        });
        break;
      case 'assets':
        break; // the binding's name goes with the assets below
    }
  }
  b.doMigrations = meta.migrations;
  b.sqliteClasses = meta.migrations.flatMap((m) => {
    const classes = (m as { new_sqlite_classes?: unknown }).new_sqlite_classes;
    return Array.isArray(classes) ? classes.map(String) : [];
  });
  if (assets) {
    const c = assets.config ?? {};
    const rwf = c.run_worker_first;
    snapshot.assets = {
      binding: bindings.find((x) => x.type === 'assets')?.name ?? null,
      notFoundHandling: (c.not_found_handling as never) ?? null,
      htmlHandling: (c.html_handling as never) ?? null,
      runWorkerFirst: typeof rwf === 'boolean' || Array.isArray(rwf) ? (rwf as boolean | string[]) : null,
    };
  }
  return snapshot;
}

/** A stored version's bindings in the API's shape (versions uploaded through the control API have no record). */
export function snapshotBindings(s: WorkerSnapshot): CfBinding[] {
  const b = s.bindings;
  return [
    ...Object.entries(s.vars).map(([name, text]) => ({ type: 'plain_text', name, text })),
    ...Object.entries(b?.jsonVars ?? {}).map(([name, json]) => ({ type: 'json', name, json })),
    ...s.d1.map((d) => ({ type: 'd1', name: d.binding, id: d.databaseId })),
    ...s.kv.map((k) => ({ type: 'kv_namespace', name: k.binding, namespace_id: k.id })),
    ...(s.versionMetadata ? [{ type: 'version_metadata', name: s.versionMetadata }] : []),
    ...(b?.r2 ?? []).map((r) => ({ type: 'r2_bucket', name: r.binding, bucket_name: r.bucketName })),
    ...(b?.durableObjects ?? []).map((d) => ({
      type: 'durable_object_namespace',
      name: d.binding,
      class_name: d.className,
    })),
    ...(b?.queueProducers ?? []).map((q) => ({ type: 'queue', name: q.binding, queue_name: q.queue })),
    ...(b?.services ?? []).map((x) => ({
      type: 'service',
      name: x.binding,
      service: x.service,
      ...(x.entrypoint ? { entrypoint: x.entrypoint } : {}),
    })),
    ...(b?.analyticsEngine ?? []).map((a) => ({
      type: 'analytics_engine',
      name: a.binding,
      dataset: a.dataset,
    })),
    ...(b?.ratelimits ?? []).map((r) => ({
      type: 'ratelimit',
      name: r.binding,
      namespace_id: r.namespaceId,
      simple: { limit: r.limit, period: r.period },
    })),
    ...(b?.workflows ?? []).map((w) => ({
      type: 'workflow',
      name: w.binding,
      workflow_name: w.name,
      class_name: w.className,
    })),
    ...(s.assets?.binding ? [{ type: 'assets', name: s.assets.binding }] : []),
  ];
}
