/**
 * Cron expressions as Cloudflare's Cron Triggers take them: five fields (minute, hour, day of month, month, day of
 * week), UTC, with `*`, lists, ranges and steps everywhere, case-insensitive three-letter month and weekday names,
 * and the Quartz extensions Cloudflare documents: `L` and `W` in the day of month (`L`, `LW`, `15W`), `L` and `#`
 * in the day of week (`6L`: the month's last Friday, `MON#2`: its second Monday). As on Cloudflare (and Quartz),
 * weekdays are 1-7 with 1 = Sunday: `0` is refused, as Cloudflare refuses it ("invalid cron string", 10100).
 * When both day fields are restricted, a day matching either one matches (as cron has always read them).
 */
export interface Cron {
  readonly expression: string;
  /** Whether the expression fires at `at`'s minute (UTC; seconds ignored). */
  matches(at: Date): boolean;
}

/** A cron expression the parser refuses; `message` says which field and why. */
export class CronError extends Error {}

type DayTest = (at: Date) => boolean;

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTE: Field = { name: 'minute', min: 0, max: 59 };
const HOUR: Field = { name: 'hour', min: 0, max: 23 };
const DAY: Field = { name: 'day of month', min: 1, max: 31 };
const MONTH: Field = {
  name: 'month',
  min: 1,
  max: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const WEEKDAY: Field = {
  name: 'day of week',
  min: 1,
  max: 7,
  names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'],
};

/**
 * Parses a five-field expression; throws CronError naming the field at fault.
 * @example parseCron('*\/5 * * * MON-FRI').matches(new Date('2026-12-04T10:15:00Z')) // true (a Friday)
 */
export function parseCron(expression: string): Cron {
  if (typeof expression !== 'string') throw new CronError('a cron expression must be a string');
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === '') {
    throw new CronError(
      `"${expression}" has ${fields[0] === '' ? 0 : fields.length} fields; a cron trigger has 5 (minute hour day-of-month month day-of-week)`,
    );
  }
  const [minute, hour, day, month, weekday] = fields;
  const minutes = numbers(minute, MINUTE);
  const hours = numbers(hour, HOUR);
  const months = numbers(month, MONTH);
  const days = dayOfMonth(day);
  const weekdays = dayOfWeek(weekday);
  const dayMatches: DayTest =
    day !== '*' && weekday !== '*' ? (at) => days(at) || weekdays(at) : (at) => days(at) && weekdays(at);
  return {
    expression,
    matches: (at) =>
      minutes.has(at.getUTCMinutes()) &&
      hours.has(at.getUTCHours()) &&
      months.has(at.getUTCMonth() + 1) &&
      dayMatches(at),
  };
}

/** The reason `expression` is refused, or null when it is a valid cron trigger. */
export function cronProblem(expression: string): string | null {
  try {
    parseCron(expression);
    return null;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

/** A field of `*`, values, ranges and steps (`a`, `a-b`, `*\/n`, `a/n`, `a-b/n`), comma-separated. */
function numbers(text: string, field: Field): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) for (const n of item(part, field)) out.add(n);
  return out;
}

function item(part: string, field: Field): number[] {
  const [range, stepText, extra] = part.split('/');
  if (extra !== undefined || range === '') throw fieldError(field, part, 'is not a value, range or step');
  const step = stepText === undefined ? 1 : integer(stepText, field, part);
  if (step < 1) throw fieldError(field, part, 'has a step below 1');
  let from = field.min;
  let to = field.max;
  if (range !== '*') {
    const [a, b, more] = range.split('-');
    if (more !== undefined) throw fieldError(field, part, 'is not a value, range or step');
    from = value(a, field, part);
    // `a/n` runs from a to the field's end, as in Quartz; a lone value is itself.
    to = b !== undefined ? value(b, field, part) : stepText !== undefined ? field.max : from;
    if (from > to) throw fieldError(field, part, `runs backwards (${a} is after ${b})`);
  }
  const out: number[] = [];
  for (let n = from; n <= to; n += step) out.push(n);
  return out;
}

function value(text: string, field: Field, part: string): number {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  const n = named >= 0 ? named + field.min : integer(text, field, part);
  if (n < field.min || n > field.max) {
    const names = field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : '';
    throw fieldError(field, part, `is out of range (${field.min}-${field.max}${names})`);
  }
  return n;
}

function integer(text: string, field: Field, part: string): number {
  if (!/^\d{1,2}$/.test(text)) throw fieldError(field, part, `has "${text}", which is not a number`);
  return Number(text);
}

/** Day of month: the common forms, plus `L` (the last day), `LW` (the last weekday) and `nW` (the weekday nearest n). */
function dayOfMonth(text: string): DayTest {
  const tests: DayTest[] = [];
  const plain: string[] = [];
  for (const part of text.split(',')) {
    const upper = part.toUpperCase();
    if (upper === 'L') tests.push((at) => at.getUTCDate() === daysIn(at));
    else if (upper === 'LW') tests.push((at) => at.getUTCDate() === nearestWeekday(at, daysIn(at)));
    else if (/^\d+W$/.test(upper)) {
      const n = value(upper.slice(0, -1), DAY, part);
      tests.push((at) => at.getUTCDate() === nearestWeekday(at, Math.min(n, daysIn(at))));
    } else plain.push(part);
  }
  if (plain.length > 0) {
    const days = numbers(plain.join(','), DAY);
    tests.push((at) => days.has(at.getUTCDate()));
  }
  return (at) => tests.some((t) => t(at));
}

/** Day of week (1 = Sunday): the common forms, plus `L` (Saturday), `nL` (the month's last such day), `n#k` (its k-th). */
function dayOfWeek(text: string): DayTest {
  const tests: DayTest[] = [];
  const plain: string[] = [];
  const weekday = (at: Date) => at.getUTCDay() + 1;
  for (const part of text.split(',')) {
    const last = /^(.+)L$/i.exec(part);
    const nth = /^(.+)#(.+)$/.exec(part);
    if (part.toUpperCase() === 'L') plain.push('7');
    else if (last) {
      const day = value(last[1], WEEKDAY, part);
      tests.push((at) => weekday(at) === day && at.getUTCDate() + 7 > daysIn(at));
    } else if (nth) {
      const day = value(nth[1], WEEKDAY, part);
      const k = integer(nth[2], WEEKDAY, part);
      if (k < 1 || k > 5) throw fieldError(WEEKDAY, part, 'names a week of the month outside 1-5');
      tests.push((at) => weekday(at) === day && Math.ceil(at.getUTCDate() / 7) === k);
    } else plain.push(part);
  }
  if (plain.length > 0) {
    const days = numbers(plain.join(','), WEEKDAY);
    tests.push((at) => days.has(weekday(at)));
  }
  return (at) => tests.some((t) => t(at));
}

function daysIn(at: Date): number {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
}

/** The weekday nearest to day `n` of `at`'s month, never leaving the month (Quartz's `W`). */
function nearestWeekday(at: Date, n: number): number {
  const dow = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), n)).getUTCDay();
  if (dow === 6) return n === 1 ? 3 : n - 1;
  if (dow === 0) return n === daysIn(at) ? n - 2 : n + 1;
  return n;
}

function fieldError(field: Field, part: string, why: string): CronError {
  return new CronError(`the ${field.name} field's "${part}" ${why}`);
}
