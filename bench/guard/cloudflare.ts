/**
 * The account's guard on target cloudflare: kill -9 a deploy while its canary bakes at 10% and time, with no
 * command run, how long until the guard Worker (its cron trigger, every minute, on the stand-in's clock) has put the
 * last promoted version back at 100%. Against the Cloudflare API stand-in, with real wrangler and workerd.
 * Run: npx tsx bench/guard/cloudflare.ts [--runs 3] [--guard 30s]   (after npm run build)
 */

import { startCfApiWorld } from '../../test/support/cf-api.ts';
import { cfServing, cfStateConfig, createCfApp, finishedEvent } from '../../test/support/cf-app.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Number(arg('--runs', '3'));
const GUARD = arg('--guard', '30s');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const w = await startCfApiWorld();
try {
  const created = await w.wrangler('d1', 'create', 'shipshape-state');
  if (created.code !== 0) throw new Error(created.stderr);
  const app = createCfApp(
    w,
    cfStateConfig(w.daemon.info.url, { bake: '300s', rps: 20, rollback: { guard: GUARD } }),
  );
  try {
    const serving = () => cfServing(w);
    const first = await app.cli(['deploy', '--bake', '3s']);
    if (finishedEvent(first.events)?.outcome !== 'promoted') throw new Error(first.out.slice(-2000));
    const installed = await app.cli(['guard', 'install']);
    if (installed.code !== 0) throw new Error(installed.out + installed.err);
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const before = (await serving())[0].version_id;
      app.change(`run ${run}`);
      await app.cli(
        ['deploy'],
        {},
        (e) => e.type === 'traffic.changed' && e.split.some((s) => s.percent === 10),
        { signal: 'SIGKILL' },
      );
      const killedAt = Date.now();
      for (;;) {
        const split = await serving();
        if (split.length === 1 && split[0].version_id === before) break;
        await sleep(250);
      }
      const ms = Date.now() - killedAt;
      times.push(ms);
      process.stdout.write(`run ${run + 1}: split restored ${(ms / 1000).toFixed(1)} s after the kill\n`);
      // The next command completes the dead release (hooks, journal) and gives the lease back.
      const recovered = await app.cli(['recover', '--lapsed']);
      if (recovered.code !== 0) throw new Error(recovered.out.slice(-2000));
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      [
        '',
        `| protection (rollback.guard ${GUARD}) | death -> split restored | how it is bounded |`,
        '|---|---|---|',
        `| account guard, cron every minute (measured, ${RUNS} runs) | median ${s(median)}, max ${s(sorted.at(-1) as number)} | lease + up to 60 s to the next minute |`,
        '| scheduled `recover --lapsed` every 10 minutes (the CI example) | not measured | lease + up to 600 s |',
        '| nothing scheduled | until the next command | unbounded |',
        '',
      ].join('\n'),
    );
  } finally {
    app.remove();
  }
} finally {
  await w.close();
}
