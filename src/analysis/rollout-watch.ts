import { ShipshapeError } from '../errors/shipshape-error.ts';
import { worstSeverity } from '../events/severity.ts';
import type { Reason, Severity, VersionSample } from '../events/types.ts';
import type { MetricWindow } from '../targets/target.ts';
import { type JudgeSettings, type JudgeState, judgeInterval } from './judge.ts';
import { type BucketBounds, readWindows, wholeSecond } from './metric-windows.ts';
import type { RolloutDeps, RolloutUnit } from './rollout-types.ts';

/** What the rollout carries from one watch to the next. */
export interface Look {
  deps: RolloutDeps;
  /** The component this look judges. */
  unit: RolloutUnit;
  settings: JudgeSettings;
  bounds: BucketBounds;
  state: JudgeState;
  firstTrafficAt: number | null;
  /** Worst severity of the verdicts that decided something (promote, rollback, pause). */
  worst: Severity;
  /** Bands that warned instead of rolling back (a rollback would not help), one per rule and route. */
  warnings: Reason[];
}

export type Stop =
  | { kind: 'next'; reasons: Reason[] }
  | { kind: 'abort'; reasons: Reason[] }
  | { kind: 'rollback'; reasons: Reason[]; atMs?: number };

/**
 * One bake (or the monitor window): every interval, poll for a manual promote/abort, read both versions'
 * figures since the last look, judge, and emit `metrics.sampled` + `verdict`. Returns when the judge
 * promotes or rolls back, or a person decides.
 */
export async function watch(
  look: Look,
  opts: { step: number | null; phase: 'bake' | 'monitor'; baseline: string | null; bakeMs: number },
): Promise<Stop> {
  const { deps, settings, unit } = look;
  const { bus, plan } = deps;
  const component = componentField(deps, unit);
  const started = deps.now().getTime();
  // A target whose figures settle late (Cloudflare's analytics) is read only up to what it has settled.
  const settled = () => wholeSecond(new Date(deps.now().getTime() - (unit.target.metricsLagMs ?? 0)));
  let since = settled();
  let paused = false;
  for (;;) {
    await deps.sleep(plan.intervalMs, deps.signal);
    const manual = await deps.manual.poll();
    if (manual === 'abort')
      return { kind: 'abort', reasons: [{ rule: 'manual', message: 'aborted by hand (shipshape abort)' }] };
    if (manual === 'promote') {
      const reasons = [{ rule: 'manual', message: 'promoted by hand (shipshape promote)' }];
      bus.emit({ type: 'verdict', action: 'promote', severity: 'low', reasons, ...component });
      return { kind: 'next', reasons };
    }
    const until = settled();
    if (until <= since) continue;
    let windows: Awaited<ReturnType<typeof readWindows>>;
    try {
      windows = await readWindows(unit.target, {
        canary: unit.canary,
        baseline: opts.baseline,
        since,
        until,
      });
    } catch (err) {
      // A user error (a token without analytics, a missing dataset) never heals by waiting: stop the rollout.
      if (err instanceof ShipshapeError && err.kind === 'user') throw err;
      // The same span is read again at the next look: a transient failure loses no data.
      bus.emit({ type: 'log', level: 'warn', message: `metrics unavailable, retrying: ${String(err)}` });
      continue;
    }
    const windowMs = until.getTime() - since.getTime();
    since = until;
    bus.emit({
      type: 'metrics.sampled',
      phase: 'rollout',
      step: opts.step,
      windowMs,
      versions: samples(windows, windowMs),
      ...component,
    });
    const result = judgeInterval(
      look.state,
      {
        canary: look.bounds.toCounts(windows.canary),
        baseline: windows.baseline ? look.bounds.toCounts(windows.baseline) : null,
        phase: opts.phase,
        intervalMs: windowMs,
        elapsedMs: deps.now().getTime() - started,
        bakeMs: opts.bakeMs,
        maxExtensionMs: plan.maxExtensionMs,
        // A manual pause has no bake to shorten: only a person ends it.
        minBakeMs: opts.phase === 'bake' && Number.isFinite(opts.bakeMs) ? plan.minBakeMs : undefined,
      },
      settings,
    );
    look.state = result.state;
    const { verdict } = result;
    bus.emit({ type: 'verdict', ...verdict, ...component });
    for (const w of verdict.warnings) {
      if (look.warnings.some((k) => k.rule === w.rule && k.figures?.route === w.figures?.route)) continue;
      look.warnings.push(w);
      bus.emit({ type: 'log', level: 'warn', message: w.message, data: { rule: w.rule } });
    }
    if (result.pause && !paused) {
      paused = true;
      look.worst = worstSeverity(look.worst, verdict.severity);
      bus.emit({
        type: 'log',
        level: 'warn',
        message: 'inconclusive: waiting for "shipshape promote" or "shipshape abort"',
      });
    }
    if (verdict.action === 'rollback') {
      look.worst = worstSeverity(look.worst, verdict.severity);
      const atMs = look.firstTrafficAt === null ? undefined : deps.now().getTime() - look.firstTrafficAt;
      return { kind: 'rollback', reasons: verdict.reasons, atMs };
    }
    if (verdict.action === 'promote') {
      look.worst = worstSeverity(look.worst, verdict.severity);
      if (verdict.early)
        bus.emit({ type: 'log', level: 'info', message: `step ended early: ${verdict.decision.message}` });
      return { kind: 'next', reasons: verdict.reasons };
    }
  }
}

function samples(
  w: { canary: MetricWindow; baseline: MetricWindow | null },
  windowMs: number,
): VersionSample[] {
  const one = (m: MetricWindow, role: VersionSample['role']): VersionSample => ({
    version: m.version,
    role,
    requests: m.requests,
    errors: m.errors,
    errorRate: m.errorRate,
    p50: m.p50,
    p95: m.p95,
    p99: m.p99,
    rps: Number((m.requests / (windowMs / 1000)).toFixed(2)),
    ...(m.organic === undefined ? {} : { organic: m.organic }),
    ...(m.clients === undefined ? {} : { clients: m.clients }),
  });
  return w.baseline ? [one(w.canary, 'canary'), one(w.baseline, 'baseline')] : [one(w.canary, 'canary')];
}

/** Events name the component in a project with components (a one-worker project's events read as before). */
export function componentField(
  deps: Pick<RolloutDeps, 'units' | 'named'>,
  unit: RolloutUnit,
): { component?: string } {
  return (deps.named ?? deps.units.length > 1) ? { component: unit.component } : {};
}
