export type { RolloutDeps, RolloutResult, RolloutUnit } from './rollout-types.ts';

import { worstSeverity } from '../events/severity.ts';
import type { Reason, Severity } from '../events/types.ts';
import type { Split } from '../targets/target.ts';
import { createJudgeState, type JudgeSettings, startStep } from './judge.ts';
import { BucketBounds, readWindows, wholeSecond } from './metric-windows.ts';
import type { RolloutDeps, RolloutResult, RolloutUnit, WatchEnd } from './rollout-types.ts';
import { componentField, type Look, type Stop, watch } from './rollout-watch.ts';
import { scoreForSeverity } from './severity.ts';
import { startTraffic, type TrafficHandle } from './traffic.ts';

/**
 * Phase 5: walks each changed component through the plan's traffic steps in release order, judging its canary
 * against its baseline every interval during each bake; then watches every component together through the
 * monitor window at 100%. Never rolls back itself: a `rolled_back` outcome tells the pipeline to switch back.
 */
export async function runRollout(deps: RolloutDeps): Promise<RolloutResult> {
  const { bus, plan, config } = deps;
  const settings: JudgeSettings = {
    analysis: config.analysis,
    monitor: config.monitor,
    onInconclusive: plan.onInconclusive,
  };
  const looks: Look[] = [];
  for (const unit of deps.units.filter((u) => u.strategy !== 'preview')) {
    const bounds = new BucketBounds();
    const reference = unit.baseline ? await preRelease(deps, unit, unit.baseline, bounds) : null;
    looks.push({
      deps,
      unit,
      settings,
      bounds,
      state: createJudgeState(reference),
      firstTrafficAt: null,
      worst: 'none',
      warnings: [],
    });
  }
  // Each component gets its generated requests from the start of its own steps: one still waiting its turn
  // (a first release serving nobody yet) is not sent requests that can only fail.
  const traffic: TrafficHandle[] = [];
  const startTrafficFor = async (unit: RolloutUnit) => {
    const own = unit.traffic ?? config.rollout.traffic;
    if (own.enabled) traffic.push(startTraffic(own, { url: await unit.target.url(), signal: deps.signal }));
  };
  const finish = (
    outcome: RolloutResult['outcome'],
    reasons: Reason[],
    extra: Partial<RolloutResult> = {},
  ): RolloutResult => {
    const worst = looks.reduce<Severity>((w, l) => worstSeverity(w, l.worst), 'none');
    return {
      outcome,
      score: scoreForSeverity(worst),
      severity: worst,
      reasons,
      warnings: looks.flatMap((l) => l.warnings),
      decidedBy: null,
      ...extra,
    };
  };
  try {
    for (const unit of deps.units) {
      const look = looks.find((l) => l.unit === unit);
      // A preview component is made production at once, in release order (its dependencies are at 100%).
      if (!look) {
        await moveTraffic(deps, unit, plan.steps.length - 1, 100);
        continue;
      }
      await startTrafficFor(look.unit);
      const stop = await walkSteps(look);
      if (stop) return finish(stop.outcome, stop.reasons, stop.extra);
    }
    // Preview components alone (nothing to judge on figures): no monitor window, nobody to watch in it.
    if (plan.monitor.durationMs > 0 && looks.length > 0) {
      bus.emit({
        type: 'wait.started',
        phase: 'rollout',
        label: 'monitor',
        durationMs: plan.monitor.durationMs,
      });
      const monitorStart = deps.now();
      const stop = await watchTogether(looks, (look) => {
        look.state = startStep(look.state);
        return { step: null, phase: 'monitor', baseline: null, bakeMs: plan.monitor.durationMs };
      });
      if (stop.kind === 'abort') return finish('aborted', stop.reasons, { decidedBy: stop.component });
      if (stop.kind === 'rollback')
        return finish('rolled_back', stop.reasons, { detectedAtMs: stop.atMs, decidedBy: stop.component });
      for (const look of looks) {
        const side = await sideChecks(look, { step: null, percent: null, from: monitorStart });
        if (side) return finish('rolled_back', side, { decidedBy: look.unit.component });
      }
      return finish('promoted', stop.reasons);
    }
    return finish('promoted', []);
  } finally {
    for (const handle of traffic) {
      const totals = await handle.stop();
      bus.emit({ type: 'log', level: 'info', message: 'generated traffic stopped', data: { ...totals } });
    }
  }
}

type StepStop = { outcome: 'aborted' | 'rolled_back'; reasons: Reason[]; extra: Partial<RolloutResult> };

/** One component through every step of the plan; null once it reached 100% with the judge's blessing. */
async function walkSteps(look: Look): Promise<StepStop | null> {
  const { deps, unit } = look;
  const { plan, bus } = deps;
  // A first release has nothing to split with: it goes straight to its last (100%) step.
  const steps = unit.baseline ? plan.steps : plan.steps.filter((s) => 'percent' in s && s.percent === 100);
  for (const step of steps) {
    const index = plan.steps.indexOf(step);
    const percent = 'percent' in step ? step.percent : null;
    if (percent !== null) {
      await moveTraffic(deps, unit, index, percent);
      look.firstTrafficAt ??= deps.now().getTime();
      look.state = startStep(look.state);
    }
    // The checks beside the judge read from once the split has moved (a runtime restart may take a while).
    const from = deps.now();
    bus.emit({
      type: 'wait.started',
      phase: 'rollout',
      label: percent === null ? 'manual pause: shipshape promote or abort' : `${label(look)}${percent}% bake`,
      durationMs: 'bakeMs' in step ? step.bakeMs : 0,
    });
    const stop = await watch(look, {
      step: index,
      phase: 'bake',
      baseline: percent === 100 ? null : unit.baseline,
      bakeMs: 'bakeMs' in step ? step.bakeMs : Number.POSITIVE_INFINITY,
    });
    const extra = { step: index, decidedBy: unit.component };
    if (stop.kind === 'abort') return { outcome: 'aborted', reasons: stop.reasons, extra };
    if (stop.kind === 'rollback')
      return { outcome: 'rolled_back', reasons: stop.reasons, extra: { ...extra, detectedAtMs: stop.atMs } };
    if (percent === null) continue;
    const side = await sideChecks(look, { step: index, percent, from });
    if (side) return { outcome: 'rolled_back', reasons: side, extra };
  }
  return null;
}

/**
 * The checks beside the judge over the whole seconds since `from`: a warning is put on record (the release is
 * marked WARNING, the phase loses two points), a rollback finding ends the rollout with its reasons.
 */
async function sideChecks(
  look: Look,
  at: { step: number | null; percent: number | null; from: Date },
): Promise<Reason[] | null> {
  const { deps, unit } = look;
  if (!deps.afterWatch) return null;
  const lag = unit.target.metricsLagMs ?? 0;
  const end: WatchEnd = {
    unit,
    step: at.step,
    percent: at.percent,
    // The second traffic moved in is split between two shares: the window starts after it.
    since: new Date(wholeSecond(at.from).getTime() + 1000),
    until: wholeSecond(new Date(deps.now().getTime() - lag)),
  };
  const findings = await deps.afterWatch(end);
  const rollback = findings.filter((f) => f.act === 'rollback').map((f) => f.reason);
  if (rollback.length > 0) {
    look.worst = worstSeverity(look.worst, 'critical');
    return rollback;
  }
  for (const f of findings) {
    look.worst = worstSeverity(look.worst, 'medium');
    look.warnings.push(f.reason);
  }
  return null;
}

/** Watches every component at once; the first to roll back (or a person) decides for all of them. */
async function watchTogether(
  looks: Look[],
  opts: (look: Look) => Parameters<typeof watch>[1],
): Promise<Stop & { component: string | null }> {
  if (looks.length === 1)
    return { ...(await watch(looks[0], opts(looks[0]))), component: looks[0].unit.component };
  const outer = looks[0].deps.signal;
  const stopAll = new AbortController();
  const signal = AbortSignal.any([outer, stopAll.signal]);
  // One person's promote or abort counts for every component's watch.
  const manual = stickyPoll(looks[0].deps.manual);
  const decided = looks.map(async (look) => {
    const own = look.deps;
    look.deps = { ...own, signal, manual };
    try {
      const stop = await watch(look, opts(look));
      if (stop.kind !== 'next') stopAll.abort();
      return { ...stop, component: look.unit.component };
    } catch (err) {
      if (stopAll.signal.aborted && !outer.aborted) return null;
      throw err;
    } finally {
      look.deps = own;
    }
  });
  const stops = (await Promise.all(decided)).filter((s) => s !== null);
  return (
    stops.find((s) => s.kind === 'abort') ??
    stops.find((s) => s.kind === 'rollback') ?? {
      kind: 'next',
      reasons: stops.flatMap((s) => s.reasons),
      component: null,
    }
  );
}

async function moveTraffic(
  deps: RolloutDeps,
  unit: RolloutUnit,
  index: number,
  percent: number,
): Promise<void> {
  const split: Split[] =
    percent >= 100 || !unit.baseline
      ? [{ version: unit.canary, percent: 100 }]
      : [
          { version: unit.canary, percent },
          { version: unit.baseline, percent: 100 - percent },
        ];
  await unit.target.setTraffic(split, `shipshape rollout: ${percent}%`);
  deps.bus.emit({ type: 'traffic.changed', split, ...componentField(deps, unit) });
  await deps.onStep?.({ index, percent, component: unit.component });
}

function label(look: Look): string {
  return componentField(look.deps, look.unit).component ? `${look.unit.component}: ` : '';
}

/** A promote or abort, once seen, is seen by every later poll. */
function stickyPoll(manual: RolloutDeps['manual']): RolloutDeps['manual'] {
  let seen: 'promote' | 'abort' | null = null;
  return {
    async poll() {
      seen ??= await manual.poll();
      return seen;
    },
  };
}

/** The baseline's own figures before the release: what the monitor compares the canary with at 100%. */
async function preRelease(deps: RolloutDeps, unit: RolloutUnit, baseline: string, bounds: BucketBounds) {
  // Whole seconds, down: a target answers only for seconds behind its lag, and reads `until` up to a second.
  const until = new Date(Math.floor((deps.now().getTime() - (unit.target.metricsLagMs ?? 0)) / 1000) * 1000);
  const since = new Date(until.getTime() - deps.plan.monitor.durationMs);
  try {
    const { canary: window } = await readWindows(unit.target, {
      canary: baseline,
      baseline: null,
      since,
      until,
    });
    return bounds.toCounts(window);
  } catch (err) {
    deps.bus.emit({
      type: 'log',
      level: 'warn',
      message: `no pre-release window for ${unit.component}'s baseline: ${err instanceof Error ? err.message : String(err)}`,
    });
    return null;
  }
}
