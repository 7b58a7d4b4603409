import type { ResolvedConfig } from '../config/resolved.ts';
import { quantile } from './buckets.ts';
import { eValue, initialState, RATE_RATIOS, updateTwoSample } from './e-process.ts';
import { type Finding, pct, round } from './findings.ts';
import { updateLatency } from './judge-evidence.ts';
import {
  addCounts,
  type Counts,
  emptyTotals,
  type JudgeState,
  type RouteCounts,
  type RouteState,
} from './judge-state.ts';

/**
 * Per-route judgement: the whole worker's figures can hide a regression on one route behind healthy
 * traffic elsewhere, so the busiest routes get their own canary-vs-baseline tests while the baseline
 * serves. At most MAX_ROUTES are tracked, admitted busiest first as they appear; the routes' share of the
 * false-rollback budget is split evenly over MAX_ROUTES slots (Bonferroni), whether or not all are used.
 */
export const MAX_ROUTES = 10;

/** Alpha shares for all routes together (ALPHA_SHARE in findings.ts has the rest: 0.75). */
export const ROUTE_SHARE = { errors: 0.2, latency: 0.05 } as const;

type Analysis = ResolvedConfig['analysis'];

const empty = (route: string): RouteCounts => ({ route, requests: 0, errors: 0, latencyBuckets: [] });

/** Folds one interval's route breakdowns into the route states (needs a serving baseline). */
export function updateRoutes(
  routes: JudgeState['routes'],
  canary: Counts,
  baseline: Counts,
  a: Pick<Analysis, 'latencyRatio' | 'minSamples'>,
): JudgeState['routes'] {
  if (!canary.routes?.length && !baseline.routes?.length) return routes;
  const c = new Map((canary.routes ?? []).map((r) => [r.route, r]));
  const b = new Map((baseline.routes ?? []).map((r) => [r.route, r]));
  const names = [...new Set([...c.keys(), ...b.keys()])].sort((x, y) => traffic(c, b, y) - traffic(c, b, x));
  const next = { ...routes };
  let tracked = Object.keys(next).length;
  for (const name of names) {
    let state: RouteState | undefined = next[name];
    if (!state) {
      if (tracked >= MAX_ROUTES) continue;
      tracked++;
      state = {
        errors: initialState(RATE_RATIOS),
        latency: initialState(RATE_RATIOS),
        canary: emptyTotals(),
        baseline: emptyTotals(),
      };
    }
    const rc = c.get(name) ?? empty(name);
    const rb = b.get(name) ?? empty(name);
    next[name] = {
      errors: updateTwoSample(state.errors, {
        canaryRequests: rc.requests,
        baselineRequests: rb.requests,
        canaryEvents: rc.errors,
        baselineEvents: rb.errors,
      }),
      latency: updateLatency(state.latency, rc, rb, state.baseline, a),
      canary: addCounts(state.canary, rc),
      baseline: addCounts(state.baseline, rb),
    };
  }
  return next;
}

function traffic(c: Map<string, RouteCounts>, b: Map<string, RouteCounts>, name: string): number {
  return (c.get(name)?.requests ?? 0) + (b.get(name)?.requests ?? 0);
}

/** A rollback finding per route whose regression is proven; the reason names the route. */
export function routeFindings(state: JudgeState, a: Analysis): Finding[] {
  const findings: Finding[] = [];
  const errorsAt = 1 / ((a.alpha * ROUTE_SHARE.errors) / MAX_ROUTES);
  const latencyAt = 1 / ((a.alpha * ROUTE_SHARE.latency) / MAX_ROUTES);
  for (const [route, r] of Object.entries(state.routes)) {
    const rate = r.canary.requests > 0 ? r.canary.errors / r.canary.requests : 0;
    const baseRate = r.baseline.requests > 0 ? r.baseline.errors / r.baseline.requests : 0;
    const e = eValue(r.errors);
    if (e >= errorsAt && rate - baseRate >= a.minEffect / 2) {
      findings.push({
        act: 'rollback',
        severity: rate > a.errorRate.critical ? 'critical' : 'high',
        reason: {
          rule: 'route-error-rate-vs-baseline',
          message: `route ${route}: canary error rate ${pct(rate)} is proven above the baseline's ${pct(baseRate)}`,
          figures: {
            route,
            canary: round(rate),
            baseline: round(baseRate),
            requests: r.canary.requests,
            e: round(e, 2),
            threshold: round(errorsAt, 1),
          },
        },
      });
    }
    const eLat = eValue(r.latency);
    if (eLat >= latencyAt) {
      findings.push({
        act: 'rollback',
        severity: 'high',
        reason: {
          rule: 'route-latency-vs-baseline',
          message: `route ${route}: canary latency is proven more than ${a.latencyRatio}x the baseline's`,
          figures: {
            route,
            canaryP95: round(quantile(r.canary.buckets, 0.95), 1),
            baselineP95: round(quantile(r.baseline.buckets, 0.95), 1),
            e: round(eLat, 2),
          },
        },
      });
    }
  }
  return findings;
}

/**
 * No tracked route leans toward a regression (each route's e-values at most 1: its data favour "no worse"
 * over every alternative). Early promotion asks this besides the whole worker's non-inferiority, so a bad
 * route too small to move the whole worker's figures keeps its step baking until its own test decides.
 */
export function routesQuiet(state: JudgeState): boolean {
  for (const r of Object.values(state.routes))
    if (eValue(r.errors) > 1 || eValue(r.latency) > 1) return false;
  return true;
}
