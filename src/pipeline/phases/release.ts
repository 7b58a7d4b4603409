import { componentName } from '../../config/resolved.ts';
import { toShipshapeError } from '../../errors/shipshape-error.ts';
import type { Split } from '../../targets/target.ts';
import type { PhaseDef, ReleaseContext, ReleaseUnit, StagedUnit } from '../context.ts';
import { assembleComponents, type PlannedUnit } from '../release-plan.ts';
import { applyReleaseMigrations } from './release-migrations.ts';
import { type ReleaseStep, releaseSteps } from './release-step.ts';
import { rolloutPlanFor, trafficFor } from './rollout-settings.ts';

/**
 * Phase 2, plan then apply. Plan: build every component and compare it with what serves (the plan event;
 * a dry run stops here). Apply, in release order: upload each changed component at 0%, back up and migrate
 * its databases, and put it in its deployment at 0% (pinned by header only). Fails fast.
 */
export const releasePhase: PhaseDef = {
  name: 'release',
  title: 'Release',
  dryRun: 'own',
  settle: 'fail-fast',
  onFailure: 'stop',
  async run(ctx) {
    const { step, maxAttempt } = releaseSteps(ctx);
    try {
      const { components, release } = await assembleComponents(ctx.config.components, ctx.units, (unit) =>
        step(componentOf(unit))(
          'build',
          () => unit.target.build(),
          (a) => ({ hash: a.hash, builtWith: a.builtWith ?? 'unknown' }),
        ),
      );
      const rollout = rolloutPlanFor(ctx.config, ctx.options);
      const hasBaseline = release.some((p) => p.plan.serving !== null);
      const { source } = trafficFor(ctx.config, ctx.options, rollout, hasBaseline);
      ctx.outputs.plan = { components, rollout, traffic: source };
      ctx.bus.emit({
        type: 'plan',
        steps: rollout.steps.map((s) =>
          'pause' in s ? { pause: 'manual' as const } : { percent: s.percent, bakeMs: s.bakeMs },
        ),
        monitorMs: rollout.monitor.durationMs,
        ...(componentName(ctx.config) ? { components } : {}),
      });
      for (const p of components.filter((c) => c.change === 'unchanged'))
        ctx.bus.emit({
          type: 'log',
          level: 'info',
          message: `${p.name} is unchanged (same bundle as ${p.serving?.version.slice(0, 8)}, no migration pending): not redeployed`,
        });
      if (ctx.options.dryRun) {
        ctx.bus.emit({ type: 'log', level: 'info', message: source });
        return { score: 5, status: 'pass', next: 'done' };
      }
      for (const unit of release) ctx.outputs.staged.push(await apply(ctx, unit, step(componentOf(unit))));
    } catch (err) {
      // Components already staged at 0% are taken out again (the rollback), so what served still serves alone.
      const next = ctx.outputs.staged.length > 0 ? 'rollback' : 'stop';
      return { score: 0, status: 'fail', next, reason: toShipshapeError(err).message };
    }
    const attempt = maxAttempt();
    return { score: attempt === 1 ? 5 : 4, status: attempt === 1 ? 'pass' : 'warn', next: 'continue' };
  },
};

/**
 * Upload first: the target starts the new version before accepting it, so a worker that throws at load is
 * refused before any migration touches the database.
 */
async function apply(ctx: ReleaseContext, unit: PlannedUnit, step: ReleaseStep): Promise<StagedUnit> {
  const component = componentOf(unit);
  const version = await step('upload', () =>
    unit.target.upload(unit.artifact, {
      message: ctx.options.message ?? `shipshape release ${ctx.releaseId}`,
      tag: ctx.releaseId,
    }),
  );
  ctx.bus.emit({
    type: 'version.uploaded',
    version: version.id,
    hash: version.hash,
    attempt: 1,
    ...(component ? { component } : {}),
  });
  await applyReleaseMigrations(ctx, unit, step);
  const staged: StagedUnit = {
    ...unit,
    canary: version.id,
    baseline: unit.plan.serving?.version ?? null,
    strategy: unit.plan.strategy,
  };
  const split = stagingSplit(staged);
  // Cloudflare takes a new Worker only through a deploy that serves its first version at once: say so, and
  // report the split that serves, not the one asked for.
  const atOnce = !staged.baseline && (await servesAlready(unit, staged.canary));
  const label = staged.baseline
    ? 'deploy at 0%'
    : atOnce
      ? "deploy (a new Worker's first version: the platform serves it at once)"
      : 'deploy at 0% (pinned only)';
  await step(label, () => unit.target.setTraffic(split, `shipshape ${ctx.releaseId}: stage at 0%`));
  if (atOnce) ctx.outputs.servedAtOnce = true;
  const served = atOnce ? [{ version: staged.canary, percent: 100 }] : split;
  ctx.bus.emit({ type: 'traffic.changed', split: served, ...(component ? { component } : {}) });
  // Before the canary takes any traffic: what the account's guard puts back if this process dies.
  const { baseline } = staged;
  const { scriptName } = unit.target;
  const record = ctx.restoreOnLapse;
  if (baseline && scriptName && record)
    await step('record the restore plan', () => record(scriptName, baseline));
  return staged;
}

/** Whether the platform already serves the uploaded version to users (a new Worker on Cloudflare). */
async function servesAlready(unit: PlannedUnit, version: string): Promise<boolean> {
  const { split } = await unit.target.deployment();
  return split.some((s) => s.version === version && s.percent > 0);
}

/** The name a unit's events carry (see `componentName`). */
export function componentOf(unit: ReleaseUnit): string | undefined {
  return componentName(unit.config);
}

/**
 * Baseline keeps 100% and the canary joins at 0%. A first release joins at 0% beside nothing (pinned-only):
 * it answers pinned requests for verify and e2e, and nobody else reaches it until the rollout moves traffic.
 */
function stagingSplit(unit: StagedUnit): Split[] {
  if (!unit.baseline) return [{ version: unit.canary, percent: 0 }];
  return [
    { version: unit.baseline, percent: 100 },
    { version: unit.canary, percent: 0 },
  ];
}
