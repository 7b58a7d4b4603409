import { describe, expect, it } from 'vitest';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { deployWindowCheck, localTime, windowViolations } from './deploy-window.ts';

const window = (w: Record<string, unknown>) => testConfig('/tmp', { gates: { window: w } }).gates.window;
// 2026-03-06 is a Friday.
const FRIDAY_NOON_UTC = new Date('2026-03-06T12:00:00Z');

describe('localTime', () => {
  it('reads day, time and date in the zone', () => {
    expect(localTime(FRIDAY_NOON_UTC, 'UTC')).toEqual({ day: 'fri', time: '12:00', date: '2026-03-06' });
    // Friday 12:00 UTC is already Saturday 01:00 in Auckland (UTC+13 in March).
    expect(localTime(FRIDAY_NOON_UTC, 'Pacific/Auckland')).toEqual({
      day: 'sat',
      time: '01:00',
      date: '2026-03-07',
    });
    expect(localTime(new Date('2026-03-06T00:30:00Z'), 'America/New_York').day).toBe('thu');
  });
});

describe('windowViolations', () => {
  it('denies Fridays by default', () => {
    expect(windowViolations(window({}), { day: 'fri', time: '09:00', date: '2026-03-06' })).toEqual([
      'no deploys on Friday',
    ]);
    expect(windowViolations(window({}), { day: 'thu', time: '09:00', date: '2026-03-05' })).toEqual([]);
  });

  it('checks allowed hours, including a window over midnight', () => {
    const day = window({ deniedDays: [], allowedHours: { from: '09:00', to: '17:00' } });
    expect(windowViolations(day, { day: 'mon', time: '09:00', date: 'x' })).toEqual([]);
    expect(windowViolations(day, { day: 'mon', time: '17:00', date: 'x' })).toHaveLength(1);
    const night = window({ deniedDays: [], allowedHours: { from: '22:00', to: '06:00' } });
    expect(windowViolations(night, { day: 'mon', time: '23:30', date: 'x' })).toEqual([]);
    expect(windowViolations(night, { day: 'mon', time: '05:59', date: 'x' })).toEqual([]);
    expect(windowViolations(night, { day: 'mon', time: '12:00', date: 'x' })[0]).toContain('outside');
  });

  it('applies freeze dates inclusively and reports every reason', () => {
    const w = window({ freeze: [{ from: '2026-12-20', to: '2026-12-31', reason: 'holidays' }] });
    expect(windowViolations(w, { day: 'sun', time: '10:00', date: '2026-12-20' })).toEqual([
      'freeze 2026-12-20 to 2026-12-31 (holidays)',
    ]);
    expect(windowViolations(w, { day: 'thu', time: '10:00', date: '2026-12-31' })).toHaveLength(1);
    expect(windowViolations(w, { day: 'fri', time: '10:00', date: '2027-01-01' })).toEqual([
      'no deploys on Friday',
    ]);
    expect(windowViolations(w, { day: 'fri', time: '10:00', date: '2026-12-25' })).toHaveLength(2);
  });
});

describe('deployWindowCheck', () => {
  it('fails on a Friday in the configured zone with a hint', async () => {
    const ctx = testGateContext('/tmp', { now: FRIDAY_NOON_UTC });
    const [r] = [await deployWindowCheck.run(ctx)].flat();
    expect(r.status).toBe('fail');
    expect(r.score).toBe(0);
    expect(r.message).toContain('Friday');
    expect(r.hint).toContain('--force-window');
  });

  it('passes when it is Saturday in the configured zone', async () => {
    const config = testConfig('/tmp', { gates: { window: { timeZone: 'Pacific/Auckland' } } });
    const [r] = [
      await deployWindowCheck.run(testGateContext('/tmp', { config, now: FRIDAY_NOON_UTC })),
    ].flat();
    expect(r.status).toBe('pass');
    expect(r.score).toBe(5);
  });

  it('warns with the reason in evidence when forced', async () => {
    const ctx = testGateContext('/tmp', { now: FRIDAY_NOON_UTC, forceWindow: { reason: 'hotfix INC-42' } });
    const [r] = [await deployWindowCheck.run(ctx)].flat();
    expect(r.status).toBe('warn');
    expect(r.score).toBe(3);
    expect(r.evidence.forced).toBe('hotfix INC-42');
    expect(r.message).toContain('hotfix INC-42');
  });
});
