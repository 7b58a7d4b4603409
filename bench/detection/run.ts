/**
 * Detection benchmark: a seeded simulation of thousands of releases per scenario, every rule fed the same
 * streams; scenarios run two at a time in child processes (two cores). Prints one table per scenario,
 * then whether the targets are met.
 * Run: npm run bench:detection [-- --runs 2000]
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../../src/config/schema.ts';
import { printTables, type Results } from './report.ts';
import { SCENARIOS } from './scenarios.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 2000;
const HORIZON_S = 30 * 60;
const MAX_K = 12;
const PARALLEL = 2;
const worker = fileURLToPath(new URL('./simulate-scenario.ts', import.meta.url));

type Raw = {
  times: Record<string, Array<number | null>>;
  failures: Record<string, number[]>;
  rollouts: Results['scenarios'][number]['rollouts'];
};

function runScenario(index: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', worker, String(index), String(RUNS)],
      { maxBuffer: 256 * 1024 * 1024 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as Raw)),
    );
  });
}

const started = Date.now();
const raw: Raw[] = new Array(SCENARIOS.length);
let next = 0;
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    while (next < SCENARIOS.length) {
      const index = next++;
      raw[index] = await runScenario(index);
    }
  }),
);
const results: Results = {
  runs: RUNS,
  horizonS: HORIZON_S,
  scenarios: SCENARIOS.map((scenario, i) => ({
    scenario,
    times: Object.fromEntries(
      Object.entries(raw[i].times).map(([k, v]) => [k, v.map((t) => t ?? Number.POSITIVE_INFINITY)]),
    ),
    failures: raw[i].failures,
    rollouts: raw[i].rollouts,
  })),
};
const defaults = configSchema.parse({});
const { rollout } = defaults;
const plan = `steps ${rollout.steps.join(' → ')}%, ${rollout.bake / 1000} s bakes, longest extension ${rollout.maxExtension / 1000} s; early promotion after a ${rollout.minBake / 1000} s minimum bake vs fixed bakes`;
printTables(results, {
  maxK: MAX_K,
  alpha: defaults.analysis.alpha,
  seconds: (Date.now() - started) / 1000,
  plan,
});
