import { describe, expect, it } from 'vitest';
import { cronProblem, parseCron } from './cron.ts';

/** The minutes of one UTC day (or `days` days from `start`) at which `expression` fires, as ISO strings. */
function fires(expression: string, start: string, minutes = 24 * 60): string[] {
  const cron = parseCron(expression);
  const out: string[] = [];
  const t0 = Date.parse(start);
  for (let i = 0; i < minutes; i++) {
    const at = new Date(t0 + i * 60_000);
    if (cron.matches(at)) out.push(at.toISOString().slice(0, 16));
  }
  return out;
}

const days = (expression: string, month: string) =>
  fires(expression, `${month}-01T00:00:00Z`, 31 * 24 * 60)
    .filter((t) => t.startsWith(month))
    .map((t) => Number(t.slice(8, 10)));

describe('cron expressions', () => {
  it('* * * * * fires every minute; seconds do not matter', () => {
    expect(fires('* * * * *', '2026-12-03T10:00:00Z', 3)).toEqual([
      '2026-12-03T10:00',
      '2026-12-03T10:01',
      '2026-12-03T10:02',
    ]);
    expect(parseCron('* * * * *').matches(new Date('2026-12-03T10:00:59.999Z'))).toBe(true);
  });

  it('steps, ranges with steps, lists and single values', () => {
    expect(fires('*/20 * * * *', '2026-12-03T10:00:00Z', 60)).toEqual([
      '2026-12-03T10:00',
      '2026-12-03T10:20',
      '2026-12-03T10:40',
    ]);
    expect(fires('10-30/10 * * * *', '2026-12-03T10:00:00Z', 60).map((t) => t.slice(-2))).toEqual([
      '10',
      '20',
      '30',
    ]);
    expect(fires('45/5 3 * * *', '2026-12-03T00:00:00Z').map((t) => t.slice(-5))).toEqual([
      '03:45',
      '03:50',
      '03:55',
    ]);
    expect(fires('0 9,17 * * *', '2026-12-03T00:00:00Z').map((t) => t.slice(-5))).toEqual(['09:00', '17:00']);
    expect(fires('30 2 * * *', '2026-12-03T00:00:00Z')).toEqual(['2026-12-03T02:30']);
  });

  it('weekdays are 1-7 with 1 = Sunday, and names, as Cloudflare reads them', () => {
    // 2026-12-06 is a Sunday.
    expect(parseCron('0 17 * * 1').matches(new Date('2026-12-06T17:00:00Z'))).toBe(true);
    expect(parseCron('0 17 * * sun').matches(new Date('2026-12-06T17:00:00Z'))).toBe(true);
    expect(parseCron('0 17 * * SUN').matches(new Date('2026-12-07T17:00:00Z'))).toBe(false);
    expect(days('10 7 * * mon-fri', '2026-12')).toEqual(days('10 7 * * 2-6', '2026-12'));
    expect(days('10 7 * * mon-fri', '2026-12').slice(0, 5)).toEqual([1, 2, 3, 4, 7]);
    expect(days('0 0 * * 7', '2026-12')).toEqual([5, 12, 19, 26]);
  });

  it('months by number or name; a day of month and a weekday both given match either', () => {
    expect(days('0 0 1 jan,JUL *', '2026-07')).toEqual([1]);
    expect(days('0 0 1 1 *', '2026-07')).toEqual([]);
    expect(days('0 0 15 * 2', '2026-12')).toEqual([7, 14, 15, 21, 28]);
    expect(days('0 0 15 * *', '2026-12')).toEqual([15]);
  });

  it("Quartz's extensions: L, LW and nW in the day of month, nL and n#k in the day of week", () => {
    expect(days('0 0 L * *', '2026-02')).toEqual([28]);
    expect(days('0 0 L * *', '2028-02')).toEqual([29]);
    // 2026-10-31 is a Saturday: its last weekday is Friday the 30th.
    expect(days('59 23 LW * *', '2026-10')).toEqual([30]);
    // 2026-11-01 is a Sunday: the weekday nearest the 1st is Monday the 2nd, the one nearest the 15th (Sunday) the 16th.
    expect(days('0 0 1W * *', '2026-11')).toEqual([2]);
    expect(days('0 0 15W * *', '2026-11')).toEqual([16]);
    expect(days('0 18 * * 6L', '2026-12')).toEqual([25]);
    expect(days('0 18 * * friL', '2026-12')).toEqual([25]);
    expect(days('0 10 * * MON#2', '2026-12')).toEqual([14]);
  });

  it('refuses what Cloudflare refuses, naming the field', () => {
    expect(cronProblem('* * * *')).toMatch(/4 fields; a cron trigger has 5/);
    expect(cronProblem('')).toMatch(/0 fields/);
    expect(cronProblem('60 * * * *')).toMatch(/minute field's "60" is out of range \(0-59\)/);
    expect(cronProblem('* 24 * * *')).toMatch(/hour field/);
    expect(cronProblem('* * 0 * *')).toMatch(/day of month field/);
    expect(cronProblem('* * * 13 *')).toMatch(/month field's "13" is out of range \(1-12 or JAN-DEC\)/);
    expect(cronProblem('0 22 * * 0')).toMatch(/day of week field's "0" is out of range \(1-7 or SUN-SAT\)/);
    expect(cronProblem('* * * * funday')).toMatch(/not a number/);
    expect(cronProblem('*/0 * * * *')).toMatch(/step below 1/);
    expect(cronProblem('30-10 * * * *')).toMatch(/runs backwards/);
    expect(cronProblem('1-2-3 * * * *')).toMatch(/not a value, range or step/);
    expect(cronProblem('*/5/2 * * * *')).toMatch(/not a value, range or step/);
    expect(cronProblem('1,,2 * * * *')).toMatch(/not a value, range or step/);
    expect(cronProblem('* * ? * *')).toMatch(/not a number/);
    expect(cronProblem('* * * * MON#6')).toMatch(/outside 1-5/);
    expect(cronProblem('*/15 * * * *')).toBeNull();
  });
});
