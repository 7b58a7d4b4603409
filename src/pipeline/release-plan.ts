import type { RolloutPlan } from '../analysis/rollout-plan.ts';
import type { ResolvedComponent } from '../config/components.ts';
import type { ComponentPlan } from '../events/types.ts';
import { pendingMigrations } from '../migrations/index.ts';
import type { Artifact } from '../targets/target.ts';
import type { ReleaseUnit } from './release-unit.ts';
import { servingVersion } from './serving.ts';

/**
 * The release as data before anything moves (changesets' assemble-plan): every component in release order,
 * what changed in each, its migrations and strategy, and the rollout steps. `deploy --dry-run --json` prints it.
 */
export interface ReleasePlan {
  components: ComponentPlan[];
  rollout: RolloutPlan;
  /** Where the rollout's traffic comes from (generated, or real users'), in one sentence. */
  traffic: string;
}

/** A built component, ready to upload: what the apply half of the release needs beside the plan. */
export interface PlannedUnit extends ReleaseUnit {
  plan: ComponentPlan;
  artifact: Artifact;
}

/**
 * Builds each component this release acts on and compares it with what serves: a component whose bundle hash
 * equals its serving version's, with no migration pending, is `unchanged`. When nothing changed at all, every
 * selected component is released again, as `wrangler deploy` would.
 */
export async function assembleComponents(
  all: ResolvedComponent[],
  units: ReleaseUnit[],
  build: (unit: ReleaseUnit) => Promise<Artifact>,
): Promise<{ components: ComponentPlan[]; release: PlannedUnit[] }> {
  const planned: PlannedUnit[] = [];
  const components: ComponentPlan[] = [];
  for (const component of all) {
    const unit = units.find((u) => u.name === component.name);
    if (!unit) {
      components.push(describe(component, unit, null, 'not selected', null, []));
      continue;
    }
    const artifact = await build(unit);
    const serving = await servingFacts(unit);
    const migrations = await migrationFacts(unit);
    const pending = migrations.some((m) => m.pending === null || m.pending.length > 0);
    const change = !serving ? 'new' : serving.hash === artifact.hash && !pending ? 'unchanged' : 'changed';
    const plan = describe(component, unit, artifact, change, serving, migrations);
    components.push(plan);
    planned.push({ ...unit, plan, artifact });
  }
  const changed = planned.filter((p) => p.plan.change !== 'unchanged');
  if (changed.length === 0) for (const p of planned) p.plan.change = 'changed';
  return { components, release: changed.length === 0 ? planned : changed };
}

function describe(
  component: ResolvedComponent,
  unit: ReleaseUnit | undefined,
  artifact: Artifact | null,
  change: ComponentPlan['change'],
  serving: ComponentPlan['serving'],
  migrations: ComponentPlan['migrations'],
): ComponentPlan {
  return {
    name: component.name,
    kind: component.kind,
    worker: component.worker.name,
    dependsOn: component.dependsOn,
    // Pages has no traffic split on Cloudflare: its new deployment is verified on its own preview address.
    strategy: component.kind === 'pages' && unit?.target.name === 'cloudflare' ? 'preview' : 'split',
    change,
    hash: artifact?.hash ?? null,
    serving,
    builtWith: artifact?.builtWith ?? null,
    migrations,
    checks: component.health.checks.map((c) => `${c.method} ${c.path}`),
  };
}

/** The serving version and its bundle hash; null when the component serves nothing yet. */
async function servingFacts(unit: ReleaseUnit): Promise<ComponentPlan['serving']> {
  const version = servingVersion((await unit.target.deployment()).split);
  if (!version) return null;
  const found = (await unit.target.versions()).find((v) => v.id === version);
  return { version, hash: found?.hash ?? null };
}

/** Pending files per database; a database that cannot be read says why instead of failing the plan. */
async function migrationFacts(unit: ReleaseUnit): Promise<ComponentPlan['migrations']> {
  const facts: ComponentPlan['migrations'] = [];
  for (const binding of unit.config.worker.d1) {
    const base = { binding: binding.binding, database: binding.databaseName };
    try {
      const files = await pendingMigrations(unit.target.database(binding.binding), binding);
      facts.push({ ...base, pending: files.map((f) => f.name) });
    } catch (err) {
      facts.push({ ...base, pending: null, error: (err as Error).message });
    }
  }
  return facts;
}
