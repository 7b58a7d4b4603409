// CPU profile of the daemon under load: starts `shipshape local start --foreground` with --cpu-prof for a copy
// of the example, deploys two versions 50/50, runs autocannon against the router, stops the daemon (which
// writes the .cpuprofile). Run: npx tsx bench/router/profile.ts [outDir]   (then open the file in DevTools)
import { spawn } from 'node:child_process';
import { join } from 'node:path';
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon';
import { loadConfig } from '../../src/config/load.ts';
import { copyExample } from '../../src/demo/copy-example.ts';
import { PACKAGE_ROOT } from '../../src/package-root.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { connect, stopDaemon } from '../../src/targets/local/launcher.ts';

const outDir = process.argv[2] ?? '/tmp/shipshape-router-profile';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const app = copyExample({ git: false });
const entry = process.env.DAEMON_ENTRY ?? join(PACKAGE_ROOT, 'bin', 'shipshape.js');
const daemon = spawn(
  process.execPath,
  [
    '--cpu-prof',
    `--cpu-prof-dir=${outDir}`,
    entry,
    'local',
    'start',
    '--foreground',
    '--cwd',
    app.dir,
    '--port',
    '0',
    '--control-port',
    '0',
  ],
  { stdio: 'inherit', env: { ...process.env, FAULT: '' } },
);
try {
  let connection = await connect(app.dir);
  for (let i = 0; !connection && i < 300; i++) {
    await new Promise((r) => setTimeout(r, 100));
    connection = await connect(app.dir);
  }
  if (!connection) throw new Error('the daemon did not start');
  const config = { ...(await loadConfig({ cwd: app.dir, env: null })), local: { port: 0, controlPort: 0 } };
  const target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  const artifact = await target.build();
  const a = await target.upload(artifact, { message: 'a' });
  const b = await target.upload(artifact, { message: 'b' });
  await target.setTraffic([
    { version: b.id, percent: 50 },
    { version: a.id, percent: 50 },
  ]);
  const r = await autocannon({ url: connection.info.url, connections: 20, duration: seconds });
  console.log(`router: ${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`);
} finally {
  await stopDaemon(app.dir);
  await new Promise((r) => (daemon.exitCode === null ? daemon.once('exit', r) : r(null)));
  app.cleanup();
  console.log(`profile written to ${outDir}`);
}
