import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from '../../analysis/judge-test-settings.ts';
import type { QueryTimeWindow } from '../../targets/target.ts';
import { queryTimeResult } from './query-time.ts';

const span = { since: new Date('2026-12-03T10:01:00Z'), until: new Date('2026-12-03T10:02:00Z') };
const before = { since: new Date('2026-12-03T09:59:00Z'), until: new Date('2026-12-03T10:00:00Z') };
const db = (databaseName: string, queries: number, p95: number): QueryTimeWindow => ({
  binding: databaseName.toUpperCase(),
  databaseName,
  databaseId: `id-${databaseName}`,
  queries,
  p50: p95 / 2,
  p95,
});
/** The default analysis settings (100 ms budget, latencyRatio 1.5, minSamples 50). */
const { analysis } = TEST_SETTINGS;
const config = (onSlow: 'warn' | 'rollback' = 'warn') => ({
  analysis: { ...analysis, queryTime: { ...analysis.queryTime, onSlow } },
});

describe('queryTimeResult', () => {
  it('names the slow database, over the budget and worse than before; rolls back with onSlow: rollback', () => {
    const r = queryTimeResult({
      now: [db('users', 200, 20), db('events', 300, 240)],
      earlier: [db('users', 400, 18), db('events', 500, 4)],
      span,
      before,
      config: config('rollback'),
    });
    expect(r?.status).toBe('fail');
    expect(r?.critical).toBe(true);
    expect(r?.message).toBe(
      'D1 database events (EVENTS): query p95 240 ms over 300 queries is above 100 ms (4 ms before the release)',
    );
    expect(r?.evidence).toMatchObject({ database: 'events', p95: 240, beforeP95: 4, budgetMs: 100 });
  });

  it('does not blame the release for a database as slow before it', () => {
    const r = queryTimeResult({
      now: [db('events', 300, 240)],
      earlier: [db('events', 500, 210)],
      span,
      before,
      config: config(),
    });
    expect(r?.status).toBe('pass');
  });

  it('warns at most when nothing before the release compares, and is inconclusive on too few queries', () => {
    const alone = queryTimeResult({
      now: [db('events', 300, 240)],
      earlier: [],
      span,
      before,
      config: config('rollback'),
    });
    expect(alone?.status).toBe('warn');
    expect(alone?.message).toContain('no queries before the release to compare with');
    const few = queryTimeResult({
      now: [db('events', 12, 900)],
      earlier: [],
      span,
      before,
      config: config(),
    });
    expect(few?.status).toBe('skip');
    expect(few?.message).toMatch(/^inconclusive: too few D1 queries over 1m to tell \(events 12/);
  });

  it('is null for a worker without D1', () => {
    expect(queryTimeResult({ now: [], earlier: [], span, before, config: config() })).toBeNull();
  });
});
