import { describe, expect, it } from 'vitest';
import type { ShipshapeError } from '../../errors/shipshape-error.ts';
import { analyticsError, dataOf, graphqlErrors } from './analytics-errors.ts';
import { metricsQuery, metricsVariables, parseRows, wallTimeMs, windowOf } from './analytics-query.ts';
import { unwrap } from './analytics-schema-check.ts';

const answer = (rows: unknown[]) => ({
  data: { viewer: { accounts: [{ workersInvocationsAdaptive: rows }] } },
});
const row = (requests: number, errors: number, p: number[], version = 'v1', sampleInterval?: number) => ({
  sum: { requests, errors },
  quantiles: { wallTimeP50: p[0], wallTimeP90: p[1], wallTimeP99: p[2] },
  dimensions: { scriptVersion: version },
  ...(sampleInterval === undefined ? {} : { avg: { sampleInterval } }),
});
const span = {
  version: 'v1',
  since: Date.parse('2026-01-01T00:00:00Z'),
  until: Date.parse('2026-01-01T00:01:00Z'),
};

describe('metrics query', () => {
  it('asks one group per version over [since, until) with wall-time quantiles, sampleInterval when the schema has it', () => {
    const q = metricsQuery({ sampleInterval: true, wallTimeP95: false });
    expect(q).toContain(
      'filter: {scriptName: $script, scriptVersion: $version, datetime_geq: $since, datetime_lt: $until}',
    );
    expect(q).toContain('sum { requests errors }');
    expect(q).toContain('quantiles { wallTimeP50 wallTimeP90 wallTimeP99 }');
    expect(q).toContain('avg { sampleInterval }');
    expect(q).toContain('dimensions { scriptVersion }');
    expect(q).not.toMatch(/datetimeMinute|status/);
    const plain = metricsQuery({ sampleInterval: false, wallTimeP95: true });
    expect(plain).not.toContain('avg');
    expect(plain).toContain('wallTimeP95');
    expect(metricsVariables({ account: 'a', script: 's', ...span })).toEqual({
      account: 'a',
      script: 's',
      version: 'v1',
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-01T00:01:00Z',
    });
  });
});

describe('answer to window', () => {
  it('counts as Cloudflare estimates them (never scaled twice), error rate, quantiles µs → ms, P95 between P90 and P99', () => {
    const w = windowOf(parseRows(answer([row(1000, 30, [4000, 9000, 18000], 'v1', 10)]).data), span);
    expect(w).toEqual({
      version: 'v1',
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-01-01T00:01:00.000Z',
      requests: 1000,
      errors: 30,
      errorRate: 0.03,
      p50: 4,
      p95: 9 + (5 / 9) * 9,
      p99: 18,
      latencyBuckets: [],
    });
    expect(w.routes).toBeUndefined();
  });

  it('no rows is a window of zeros; errors never above requests; several rows weighted by requests', () => {
    expect(windowOf(parseRows(answer([]).data), span)).toMatchObject({
      requests: 0,
      errors: 0,
      errorRate: 0,
      p50: 0,
      p95: 0,
      p99: 0,
    });
    const w = windowOf(
      parseRows(
        answer([row(30, 10, [1000, 2000, 3000]), row(10, 40, [5000, 6000, 7000]), row(5, 0, [1, 1, 1], 'v2')])
          .data,
      ),
      span,
    );
    expect(w.requests).toBe(40);
    expect(w.errors).toBe(40);
    expect(w.p50).toBeCloseTo((30 * 1 + 10 * 5) / 40);
  });

  it('a P95 from the schema is used as is; answers of another shape are ANALYTICS_QUERY_FAILED', () => {
    expect(wallTimeMs({ wallTimeP90: 1000, wallTimeP95: 1500, wallTimeP99: 9000 }, 95)).toBe(1.5);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as ShipshapeError).code;
      }
      return null;
    };
    expect(code(() => parseRows({ viewer: null }))).toBe('ANALYTICS_QUERY_FAILED');
    expect(code(() => parseRows(answer([{ sum: { requests: 'many' } }]).data))).toBe(
      'ANALYTICS_QUERY_FAILED',
    );
    expect(code(() => dataOf({ nope: 1 }, 'acc'))).toBe('ANALYTICS_QUERY_FAILED');
  });
});

describe('GraphQL errors', () => {
  // Messages as Cloudflare's error reference lists them (analytics/graphql-api/errors).
  const err = (message: string, code?: string) =>
    analyticsError(
      graphqlErrors({
        data: null,
        errors: [{ message, path: ['viewer', 'accounts'], extensions: { code } }],
      }),
      'acc',
    );

  it('authorization failures name the missing "Account Analytics Read" permission', () => {
    for (const message of [
      'not authorized for that account',
      'authorization denied',
      'does not have access to the path viewer.accounts.workersInvocationsAdaptive',
      'Unauthorized',
    ]) {
      const e = err(message);
      expect(e.code).toBe('ANALYTICS_NOT_AUTHORIZED');
      expect(e.hint).toContain('Account Analytics Read');
      expect(e.exitCode).toBe(2);
    }
    expect(err('denied', 'authz').code).toBe('ANALYTICS_NOT_AUTHORIZED');
  });

  it('a dataset the plan lacks is ANALYTICS_DATASET_MISSING; anything else ANALYTICS_QUERY_FAILED with its path', () => {
    expect(err('unknown field "workersInvocationsAdaptive"').code).toBe('ANALYTICS_DATASET_MISSING');
    expect(err('not available for your plan. Upgrade to Pro').code).toBe('ANALYTICS_DATASET_MISSING');
    const other = err('rate limiter budget depleted, try again after 5 minutes');
    expect(other.code).toBe('ANALYTICS_QUERY_FAILED');
    expect(other.message).toContain('viewer.accounts');
    expect(graphqlErrors({ data: {}, errors: null })).toEqual([]);
  });

  it('type references unwrap through NON_NULL and LIST', () => {
    expect(
      unwrap({
        kind: 'NON_NULL',
        name: null,
        ofType: { kind: 'LIST', name: null, ofType: { kind: 'OBJECT', name: 'Row' } },
      }),
    ).toBe('Row');
  });
});
