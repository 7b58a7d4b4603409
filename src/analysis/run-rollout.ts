import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { Reason, Severity } from '../events/types.ts';
import type { Split, Target } from '../targets/target.ts';
import { createJudgeState, type JudgeSettings, startStep } from './judge.ts';
import { BucketBounds, readWindows } from './metric-windows.ts';
import type { RolloutPlan } from './rollout-plan.ts';
import { type Look, watch } from './rollout-watch.ts';
import { scoreForSeverity } from './severity.ts';
import { startTraffic, type TrafficHandle } from './traffic.ts';

export interface RolloutDeps {
  target: Target;
  bus: EventBus;
  canary: string;
  baseline: string | null;
  plan: RolloutPlan;
  config: Pick<ResolvedConfig, 'rollout' | 'analysis' | 'monitor'>;
  signal: AbortSignal;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): Date;
  /** `shipshape promote` / `shipshape abort` from another process, polled every interval. */
  manual: { poll(): Promise<'promote' | 'abort' | null> };
  onStep?(step: { index: number; percent: number }): Promise<void>;
}

export interface RolloutResult {
  outcome: 'promoted' | 'rolled_back' | 'aborted';
  score: number;
  severity: Severity;
  /** The deciding reason first. */
  reasons: Reason[];
  /** Bands that warned instead of rolling back: the release should be marked WARNING. */
  warnings: Reason[];
  /** Time from the canary's first traffic to the rollback verdict. */
  detectedAtMs?: number;
  /** Plan index of the step where the rollout stopped. */
  step?: number;
}

/**
 * Phase 5: walks the plan's traffic steps, judging the canary every interval during each bake, then
 * watches the monitor window at 100%. Never rolls back itself: a `rolled_back` outcome tells the pipeline
 * to switch traffic back.
 */
export async function runRollout(deps: RolloutDeps): Promise<RolloutResult> {
  const { target, bus, baseline, plan, config } = deps;
  const settings: JudgeSettings = {
    analysis: config.analysis,
    monitor: config.monitor,
    onInconclusive: plan.onInconclusive,
  };
  const bounds = new BucketBounds();
  const reference = baseline ? await preRelease(deps, bounds) : null;
  let traffic: TrafficHandle | null = null;
  if (config.rollout.traffic.enabled)
    traffic = startTraffic(config.rollout.traffic, { url: await target.url(), signal: deps.signal });
  const look: Look = {
    deps,
    settings,
    bounds,
    state: createJudgeState(reference),
    firstTrafficAt: null,
    worst: 'none',
    warnings: [],
  };
  const finish = (
    outcome: RolloutResult['outcome'],
    reasons: Reason[],
    extra: Partial<RolloutResult> = {},
  ) => ({
    outcome,
    score: scoreForSeverity(look.worst),
    severity: look.worst,
    reasons,
    warnings: look.warnings,
    ...extra,
  });
  try {
    // A first release has nothing to split with: it goes straight to its last (100%) step.
    const steps = baseline ? plan.steps : plan.steps.filter((s) => 'percent' in s && s.percent === 100);
    for (const step of steps) {
      const index = plan.steps.indexOf(step);
      if ('percent' in step) {
        await moveTraffic(deps, index, step.percent);
        look.firstTrafficAt ??= deps.now().getTime();
        look.state = startStep(look.state);
        bus.emit({
          type: 'wait.started',
          phase: 'rollout',
          label: `${step.percent}% bake`,
          durationMs: step.bakeMs,
        });
      } else {
        bus.emit({
          type: 'wait.started',
          phase: 'rollout',
          label: 'manual pause: shipshape promote or abort',
          durationMs: 0,
        });
      }
      const percent = 'percent' in step ? step.percent : null;
      const stop = await watch(look, {
        step: index,
        phase: 'bake',
        baseline: percent === 100 ? null : baseline,
        bakeMs: 'percent' in step ? step.bakeMs : Number.POSITIVE_INFINITY,
      });
      if (stop.kind === 'abort') return finish('aborted', stop.reasons, { step: index });
      if (stop.kind === 'rollback')
        return finish('rolled_back', stop.reasons, { step: index, detectedAtMs: stop.atMs });
    }
    if (plan.monitor.durationMs > 0) {
      bus.emit({
        type: 'wait.started',
        phase: 'rollout',
        label: 'monitor',
        durationMs: plan.monitor.durationMs,
      });
      look.state = startStep(look.state);
      const stop = await watch(look, {
        step: null,
        phase: 'monitor',
        baseline: null,
        bakeMs: plan.monitor.durationMs,
      });
      if (stop.kind === 'abort') return finish('aborted', stop.reasons);
      if (stop.kind === 'rollback') return finish('rolled_back', stop.reasons, { detectedAtMs: stop.atMs });
      return finish('promoted', stop.reasons);
    }
    return finish('promoted', []);
  } finally {
    if (traffic) {
      const totals = await traffic.stop();
      bus.emit({ type: 'log', level: 'info', message: 'generated traffic stopped', data: { ...totals } });
    }
  }
}

async function moveTraffic(deps: RolloutDeps, index: number, percent: number): Promise<void> {
  const split: Split[] =
    percent >= 100 || !deps.baseline
      ? [{ version: deps.canary, percent: 100 }]
      : [
          { version: deps.canary, percent },
          { version: deps.baseline, percent: 100 - percent },
        ];
  await deps.target.setTraffic(split, `shipshape rollout: ${percent}%`);
  deps.bus.emit({ type: 'traffic.changed', split });
  await deps.onStep?.({ index, percent });
}

/** The baseline's own figures before the release: what the monitor compares the canary with at 100%. */
async function preRelease(deps: RolloutDeps, bounds: BucketBounds) {
  const until = deps.now();
  const since = new Date(until.getTime() - deps.plan.monitor.durationMs);
  try {
    const { canary: window } = await readWindows(deps.target, {
      canary: deps.baseline as string,
      baseline: null,
      since,
      until,
    });
    return bounds.toCounts(window);
  } catch (err) {
    deps.bus.emit({
      type: 'log',
      level: 'warn',
      message: `no pre-release window for the baseline: ${String(err)}`,
    });
    return null;
  }
}
