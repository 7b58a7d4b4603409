import { type PromotionRuns, printPromotion } from './report-promotion.ts';
import { NOISY_REGRESSION, type Scenario } from './scenarios.ts';

export interface Results {
  runs: number;
  horizonS: number;
  scenarios: Array<{
    scenario: Scenario;
    times: Record<string, number[]>;
    failures: Record<string, number[]>;
    rollouts: PromotionRuns['rollouts'];
  }>;
}

interface Cell {
  median: number;
  p95: number;
  mean: number;
  rollbacks: number;
  failed: number;
}

function cell(times: number[], failures: number[]): Cell {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const finite = sorted.filter(Number.isFinite);
  return {
    median: at(0.5),
    p95: at(0.95),
    mean: finite.length ? finite.reduce((s, t) => s + t, 0) / finite.length : Number.POSITIVE_INFINITY,
    rollbacks: finite.length / sorted.length,
    failed: failures.reduce((s, f) => s + f, 0) / failures.length,
  };
}

const secs = (t: number, horizonS: number) => (Number.isFinite(t) ? `${t}s` : `>${horizonS / 60}m`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string, n: number) => s.padEnd(n);

/** Prints one table per scenario and the targets, each marked met or not. */
export function printTables(
  r: Results,
  o: { maxK: number; alpha: number; seconds: number; plan: string },
): void {
  const healthy = r.scenarios.find((s) => s.scenario.name === 'healthy');
  if (!healthy) throw new Error('the healthy scenario is missing');
  const judgeFr = cell(healthy.times.judge, healthy.failures.judge).rollbacks;
  let tunedK = o.maxK;
  for (let k = 1; k <= o.maxK; k++) {
    if (cell(healthy.times[`flagger k=${k}`], []).rollbacks <= judgeFr) {
      tunedK = k;
      break;
    }
  }
  const methods: Array<[string, string]> = [
    ['judge', 'shipshape judge (sequential, 5 s looks)'],
    ['seeds', "seeds' rule (>5% for 5 min)"],
    ['flagger k=1', 'Flagger defaults (60 s, threshold 1)'],
    ['flagger k=5', 'Flagger tutorial (threshold 5)'],
    [`flagger k=${tunedK}`, `Flagger tuned (threshold ${tunedK})`],
    ['fixed', 'two-proportion z, once at 5 min'],
    ['peeking', 'two-proportion z, peeked every 5 s'],
    ['oracle', 'oracle SPRT (knows the rates)'],
    ['bound', 'two-sample bound (true ratio, all alpha)'],
  ];
  const cells = (s: Results['scenarios'][number], key: string) => cell(s.times[key], s.failures[key]);
  console.log(
    `detection benchmark: ${r.runs} seeded runs per scenario, ${r.horizonS / 60} min horizon, alpha ${o.alpha}\n`,
  );
  for (const s of r.scenarios) {
    const { scenario: sc } = s;
    console.log(
      `## ${sc.name}: ${sc.rps} rps, ${sc.canaryShare * 100}% canary, baseline ${pct(sc.baseline.errorRate)} errors, canary ${pct(sc.canary.errorRate)}${sc.regression ? '' : ' (healthy)'}`,
    );
    console.log(
      `| ${pad('rule', 40)} | median | p95    | ${sc.regression ? 'detected' : 'false rb'} | missed | failed reqs |`,
    );
    console.log(`|${'-'.repeat(42)}|--------|--------|----------|--------|-------------|`);
    for (const [key, label] of methods) {
      const c = cells(s, key);
      const missed = sc.regression ? pct(1 - c.rollbacks) : '-';
      console.log(
        `| ${pad(label, 40)} | ${pad(secs(c.median, r.horizonS), 6)} | ${pad(secs(c.p95, r.horizonS), 6)} | ${pad(pct(c.rollbacks), 8)} | ${pad(missed, 6)} | ${pad(c.failed.toFixed(1), 11)} |`,
      );
    }
    console.log('');
  }
  const checks: Array<[string, boolean]> = printPromotion(r.scenarios, o.plan);
  for (const s of r.scenarios.filter((x) => !x.scenario.regression)) {
    const fr = cells(s, 'judge').rollbacks;
    checks.push([`<= 1% false rollbacks, ${s.scenario.name}: ${pct(fr)}`, fr <= 0.01]);
  }
  const main = r.scenarios.find((s) => s.scenario.name === '50 rps/10% +5 pp');
  if (main) {
    const m = cells(main, 'judge').median;
    checks.push([`+5 pp at 50 rps/10% detected in <= 30 s median: ${secs(m, r.horizonS)}`, m <= 30]);
  }
  const noisy = r.scenarios.find((s) => s.scenario.name === NOISY_REGRESSION);
  if (noisy) {
    const m = cells(noisy, 'judge').median;
    const best = secs(cells(noisy, 'bound').median, r.horizonS);
    checks.push([
      `${NOISY_REGRESSION} detected in <= 60 s median: ${secs(m, r.horizonS)} (two-sample bound: ${best})`,
      m <= 60,
    ]);
  }
  const flaggerFr = cells(healthy, 'flagger k=1').rollbacks;
  checks.push([
    `fewer false rollbacks than Flagger's defaults: ${pct(judgeFr)} vs ${pct(flaggerFr)}`,
    judgeFr < flaggerFr,
  ]);
  for (const s of r.scenarios.filter((x) => x.scenario.regression)) {
    const j = cells(s, 'judge');
    const seeds = cells(s, 'seeds');
    const f1 = cells(s, 'flagger k=1');
    const ft = cells(s, `flagger k=${tunedK}`);
    const or = cells(s, 'oracle');
    const n = s.scenario.name;
    checks.push([
      `${n}: >= 10x faster than the seeds' rule (${secs(j.median, r.horizonS)} vs ${secs(seeds.median, r.horizonS)})`,
      j.median * 10 <= seeds.median,
    ]);
    checks.push([
      `${n}: faster than Flagger's defaults (${secs(j.median, r.horizonS)} vs ${secs(f1.median, r.horizonS)})`,
      j.median < f1.median,
    ]);
    checks.push([
      `${n}: faster than Flagger tuned to the same false-rollback rate (vs ${secs(ft.median, r.horizonS)})`,
      j.median < ft.median,
    ]);
    checks.push([
      `${n}: within 2x of the oracle's expected time (${secs(j.median, r.horizonS)} vs mean ${or.mean.toFixed(1)}s)`,
      j.median <= 2 * or.mean,
    ]);
  }
  console.log('## targets');
  for (const [text, ok] of checks) console.log(`${ok ? 'met    ' : 'NOT met'}  ${text}`);
  console.log(
    `\n${checks.filter(([, ok]) => ok).length}/${checks.length} targets met in ${o.seconds.toFixed(1)} s`,
  );
}
