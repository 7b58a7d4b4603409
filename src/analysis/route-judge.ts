import type { ResolvedConfig } from '../config/resolved.ts';
import { quantile } from './buckets.ts';
import { eValue, initialState, logEValue, RATE_RATIOS, updateTwoSample } from './e-process.ts';
import { ALPHA_SHARE, type Finding, pct, round } from './findings.ts';
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
 * false-rollback budget is split evenly over MAX_ROUTES slots.
 *
 * A slot no route has taken yet is not left idle: its share is staked on the whole worker's relative test
 * of the same kind (errors or latency), so a worker with a single route, or a target that reports no
 * routes at all (Cloudflare's analytics), tests its whole traffic with the routes' budget too. Why the
 * false-rollback rate stays within alpha, at every look: write every rolling-back test's e-process E_i
 * with its share w_i (the shares sum to 1) and take the wealth W = sum of w_i * E_i, where a slot's
 * process follows the worker's test until its route is admitted and from then on is the worker's value
 * at admission times the route test's likelihood ratios. Each piece is a nonnegative supermartingale
 * under a healthy canary (admission depends only on request counts, which say nothing of the errors or
 * latencies split, so switching there is allowed), hence so is W, and by Ville's inequality W ever
 * reaching 1/alpha has chance at most alpha. Every rollback below needs some part of W at 1/alpha: the
 * worker's test with the unclaimed slots' shares ((w + u * slot) * E >= 1/alpha, `pooledThreshold`), or
 * one route's slot (slot * carried * E_route >= 1/alpha). A route admitted late starts from the worker's
 * test value then (below 1 on a healthy canary); routes seen in the first interval start from 1.
 */
export const MAX_ROUTES = 10;

/** Alpha shares for all routes together (ALPHA_SHARE in findings.ts has the rest: 0.75). */
export const ROUTE_SHARE = { errors: 0.2, latency: 0.05 } as const;

/**
 * The e-value the whole worker's relative test must reach: its own share plus, while at most one route is
 * tracked, those of the route slots not taken (see above). With no route, relErrors gets 0.35 + 0.2 of
 * alpha (threshold 182 at alpha 1%, was 286); with one, 0.35 + 0.18.
 */
export function pooledThreshold(state: JudgeState, alpha: number, test: 'relErrors' | 'relLatency'): number {
  const tracked = Object.keys(state.routes).length;
  // Only while no second route is seen: a single route is the whole worker (nothing to name), but once two
  // are, a regression should be proven (and named) by its route's own test. Leaving slots out of the
  // pool just leaves part of the wealth unused, which never costs validity.
  const free = tracked <= 1 ? MAX_ROUTES - tracked : 0;
  const slot = (test === 'relErrors' ? ROUTE_SHARE.errors : ROUTE_SHARE.latency) / MAX_ROUTES;
  return 1 / (alpha * (ALPHA_SHARE[test] + free * slot));
}

/** A route's e-value with the wealth its slot carried in from the worker's test (see above). */
export const routeEValue = (r: RouteState, kind: 'errors' | 'latency') =>
  Math.exp(r.carried[kind] + logEValue(r[kind]));

type Analysis = ResolvedConfig['analysis'];

const empty = (route: string): RouteCounts => ({ route, requests: 0, errors: 0, latencyBuckets: [] });

/** Folds one interval's route breakdowns into the route states (needs a serving baseline). */
export function updateRoutes(
  routes: JudgeState['routes'],
  canary: Counts,
  baseline: Counts,
  a: Pick<Analysis, 'latencyRatio' | 'minSamples'>,
  /** The worker's evidence before this interval: what a newly admitted route's slot carries in. */
  before: Pick<JudgeState['evidence'], 'relErrors' | 'relLatency'>,
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
        carried: { errors: logEValue(before.relErrors), latency: logEValue(before.relLatency) },
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
      carried: state.carried,
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
    const e = routeEValue(r, 'errors');
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
    const eLat = routeEValue(r, 'latency');
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
