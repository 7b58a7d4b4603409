import type { ConfigProblem } from './config-issues.ts';
import { formatPath, valueAt } from './config-issues.ts';
import { parseDuration } from './duration.ts';

type Path = (string | number)[];
type Raw = Record<string, unknown>;

/**
 * Rules the schema's per-key checks cannot state: orders, relations between keys, values that parse but make no
 * sense. They read the written config (defaults where a key is absent) and skip a value of the wrong type, which
 * the schema already reports, so every problem is listed in one run.
 * @example configRuleProblems({ score: { pass: 50, warn: 70 } }) // [{ path: 'score.warn', ... }]
 */
export function configRuleProblems(raw: Raw): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: Path, message: string) => problems.push({ path: formatPath(path), message });
  rolloutSteps(raw, add);
  positiveDurations(raw, add);
  ordered(raw, add);
  freezeAndHours(raw, add);
  remoteTraffic(raw, add);
  incidentsGate(raw, add);
  return problems;
}

type Add = (path: Path, message: string) => void;

function rolloutSteps(raw: Raw, add: Add): void {
  const steps = valueAt(raw, ['rollout', 'steps']);
  if (!Array.isArray(steps) || steps.length === 0) return;
  let last = 0;
  let lastIndex = -1;
  steps.forEach((step, i) => {
    const percent = typeof step === 'number' ? step : (step as { percent?: unknown } | null)?.percent;
    // Out-of-range percents are the schema's to report.
    if (typeof percent !== 'number' || percent < 0 || percent > 100) return;
    if (percent <= last) {
      add(
        ['rollout', 'steps', i],
        percent === last && i > 0
          ? `${percent}% repeats the step before it; steps are percents in increasing order, each once`
          : i === 0
            ? `${percent}% must be above 0%: a step sends traffic to the new version`
            : `${percent}% must be above the step before it (${last}%); steps are percents in increasing order`,
      );
    }
    last = Math.max(last, percent);
    lastIndex = i;
  });
  if (lastIndex >= 0 && last !== 100) {
    add(
      ['rollout', 'steps'],
      `the last step must be 100 (the release ends with the new version serving everything); found ${last}. Add 100 at the end`,
    );
  }
}

/** Durations where zero (or a negative) would spin, time out at once, or fail every request. */
const POSITIVE: Path[] = [
  ['rollout', 'interval'],
  ['rollout', 'traffic', 'maxDuration'],
  ['monitor', 'interval'],
  ['e2e', 'timeout'],
  ['e2e', 'p95'],
  ['analysis', 'p95', 'critical'],
  ['analysis', 'p95', 'high'],
  ['analysis', 'p95', 'medium'],
  ['analysis', 'queryTime', 'p95'],
  ['gates', 'incidents', 'timeout'],
];
const POSITIVE_IN_LISTS: [Path, string[]][] = [
  [['gates', 'checks'], ['timeout']],
  [
    ['health', 'checks'],
    ['timeout', 'maxLatency'],
  ],
  [
    ['e2e', 'endpoints'],
    ['timeout', 'maxLatency'],
  ],
  [['rollback', 'hooks'], ['timeout']],
];

function positiveDurations(raw: Raw, add: Add): void {
  const check = (path: Path) => {
    const value = valueAt(raw, path);
    if (typeof value === 'string' && parseDuration(value) === 0)
      add(path, `expected a duration above zero such as "5s"; found ${JSON.stringify(value)}`);
  };
  for (const path of POSITIVE) check(path);
  for (const [listPath, keys] of POSITIVE_IN_LISTS) {
    const list = valueAt(raw, listPath);
    if (!Array.isArray(list)) continue;
    list.forEach((_, i) => {
      for (const key of keys) check([...listPath, i, key]);
    });
  }
}

function ordered(raw: Raw, add: Add): void {
  const pass = numberAt(raw, ['score', 'pass']) ?? 80;
  const warn = numberAt(raw, ['score', 'warn']) ?? 60;
  if (warn > pass)
    add(
      ['score', 'warn'],
      `expected at most score.pass (${pass}): scores from warn to pass are warnings; found ${warn}`,
    );
  const errorRate = ['critical', 'high', 'medium'].map((k) => numberAt(raw, ['analysis', 'errorRate', k]));
  orderedLevels(['analysis', 'errorRate'], errorRate, add, String);
  const p95 = ['critical', 'high', 'medium'].map((k) => durationAt(raw, ['analysis', 'p95', k]));
  orderedLevels(['analysis', 'p95'], p95, add, (v) => `${v}ms`);
}

/** critical ≥ high ≥ medium, for the levels the config sets. */
function orderedLevels(
  path: Path,
  [critical, high, medium]: (number | null)[],
  add: Add,
  show: (v: number) => string,
) {
  if (high !== null && critical !== null && high > critical)
    add([...path, 'high'], `expected at most critical (${show(critical)}); found ${show(high)}`);
  if (medium !== null && high !== null && medium > high)
    add([...path, 'medium'], `expected at most high (${show(high)}); found ${show(medium)}`);
}

function freezeAndHours(raw: Raw, add: Add): void {
  const freeze = valueAt(raw, ['gates', 'window', 'freeze']);
  if (Array.isArray(freeze)) {
    freeze.forEach((range, i) => {
      const from = (range as { from?: unknown } | null)?.from;
      const to = (range as { to?: unknown } | null)?.to;
      for (const [key, value] of [
        ['from', from],
        ['to', to],
      ] as const) {
        if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !isRealDate(value))
          add(['gates', 'window', 'freeze', i, key], `expected a date that exists; found "${value}"`);
      }
      if (
        typeof from === 'string' &&
        typeof to === 'string' &&
        isRealDate(from) &&
        isRealDate(to) &&
        to < from
      )
        add(['gates', 'window', 'freeze', i, 'to'], `the freeze ends (${to}) before it starts (${from})`);
    });
  }
  const hours = valueAt(raw, ['gates', 'window', 'allowedHours']) as { from?: unknown; to?: unknown } | null;
  if (hours && typeof hours.from === 'string' && hours.from === hours.to)
    add(['gates', 'window', 'allowedHours'], `from and to are both ${hours.from}: no time would be allowed`);
  const denied = valueAt(raw, ['gates', 'window', 'deniedDays']);
  if (Array.isArray(denied) && new Set(denied).size >= 7)
    add(['gates', 'window', 'deniedDays'], 'every day is denied: no deploy could ever start');
}

function remoteTraffic(raw: Raw, add: Add): void {
  const url = valueAt(raw, ['rollout', 'traffic', 'url']);
  if (typeof url !== 'string' || valueAt(raw, ['rollout', 'traffic', 'allowRemote']) === true) return;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return;
  }
  // The same rule the traffic generator enforces, found before anything is uploaded.
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return;
  add(
    ['rollout', 'traffic', 'url'],
    `${host} is not a loopback address; set rollout.traffic.allowRemote: true to send generated traffic there`,
  );
}

/** The platform incidents gate: a status page it can ask, and something to look for. */
function incidentsGate(raw: Raw, add: Add): void {
  const url = valueAt(raw, ['gates', 'incidents', 'url']);
  if (typeof url === 'string' && URL.canParse(url) && !/^https?:$/.test(new URL(url).protocol))
    add(['gates', 'incidents', 'url'], `expected an http(s) address of a status page; found "${url}"`);
  const components = valueAt(raw, ['gates', 'incidents', 'components']);
  if (Array.isArray(components) && components.length === 0)
    add(
      ['gates', 'incidents', 'components'],
      'no component listed: no incident could ever block; set gates.incidents.enabled: false to turn the gate off',
    );
}

function numberAt(raw: Raw, path: Path): number | null {
  const value = valueAt(raw, path);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function durationAt(raw: Raw, path: Path): number | null {
  const value = valueAt(raw, path);
  return typeof value === 'string' ? parseDuration(value) : null;
}

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
