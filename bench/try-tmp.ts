import { createJudgeState, judgeInterval, startStep } from '/work/main/src/analysis/judge.ts';
import { seededRandom, simulateCounts, lognormalBucketProbs } from '/work/main/src/analysis/simulate.ts';
const analysis = { errorRate: { critical: 0.05, high: 0.02, medium: 0.01 }, p95: { critical: 2000, high: 1000, medium: 500 }, minSamples: 50, alpha: 0.01, minEffect: 0.01, latencyRatio: 1.5 };
const settings = { analysis, monitor: { interval: 60000, sustained: 5 }, onInconclusive: 'rollback' as const };
const lat = lognormalBucketProbs(40, 0.5);
const lat2 = lognormalBucketProbs(80, 0.5);
function run(seed: number, pc: number, latC = lat, rps = 100, share = 0.1, horizon = 1800) {
  const r = seededRandom(seed);
  let s = createJudgeState(null);
  for (let t = 5; t <= horizon; t += 5) {
    const canary = simulateCounts(r, { errorRate: pc, latency: latC }, rps * share, 5);
    const baseline = simulateCounts(r, { errorRate: 0.005, latency: lat }, rps * (1 - share), 5);
    const res = judgeInterval(s, { canary, baseline, phase: 'bake', intervalMs: 5000, elapsedMs: t * 1000, bakeMs: 1e9, maxExtensionMs: 0 }, settings);
    s = res.state;
    if (res.verdict.action === 'rollback') return { t, reasons: res.verdict.reasons.map((x) => x.rule) };
  }
  return null;
}
const t0 = Date.now();
for (const [name, pc, l] of [['healthy', 0.005, lat], ['+1', 0.015, lat], ['+5', 0.055, lat], ['+20', 0.205, lat], ['2xlat', 0.005, lat2]] as const) {
  const N = name === 'healthy' ? 300 : 300;
  const times: number[] = []; let fr = 0; const rules: Record<string, number> = {};
  for (let i = 0; i < N; i++) { const x = run(i + 1, pc, l as number[]); if (x) { times.push(x.t); fr++; for (const q of x.reasons) rules[q] = (rules[q] ?? 0) + 1; } }
  times.sort((a, b) => a - b);
  console.log(name, 'detected', fr / N, 'median', times[Math.floor(times.length / 2)], JSON.stringify(rules));
}
console.log('ms', Date.now() - t0);
