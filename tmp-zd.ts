import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from './src/config/load.ts';
import { copyExample } from './src/demo/copy-example.ts';
import { createTarget } from './src/targets/create-target.ts';
import { runDaemon } from './src/targets/local/daemon.ts';
const app = copyExample({ git: false });
writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify({ local: { port: 0, controlPort: 0 } }));
const d = await runDaemon({ projectDir: app.dir, port: 0, controlPort: 0, output: () => {} });
try {
  const config = await loadConfig({ cwd: app.dir, env: null });
  const target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  const artifact = await target.build();
  await target.database('DB').batch([{ sql: "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL DEFAULT (datetime('now')))" }]);
  const first = await target.upload(artifact, { message: 'v0' });
  await target.setTraffic([{ version: first.id, percent: 100 }]);
  const base = await target.url();
  let running = true, ok = 0; const failures: string[] = [];
  const load = async (n: number) => { const paths = ['/health', '/api/items', '/']; for (let i = 0; running; i++) { const p = paths[(i + n) % 3]; try { const r = await fetch(new URL(p, base)); const b = await r.text(); if (r.status !== 200) failures.push(`${p} ${r.status} ${b.slice(0, 150)}`); else ok++; } catch (e) { failures.push(`${p} ${(e as Error).message}`); } } };
  const clients = Array.from({ length: 8 }, (_, n) => load(n));
  let prev = first.id; const t0 = Date.now();
  for (let i = 1; i <= 20; i++) {
    const next = await target.upload(artifact, { message: `v${i}` });
    await target.setTraffic([{ version: next.id, percent: 10 }, { version: prev, percent: 90 }]);
    await target.setTraffic([{ version: next.id, percent: 60 }, { version: prev, percent: 40 }]);
    await target.setTraffic([{ version: next.id, percent: 100 }]);
    prev = next.id;
  }
  running = false; await Promise.all(clients);
  console.log('ok', ok, 'failures', failures.length, failures.slice(0, 5), 'secs', (Date.now() - t0) / 1000, 'versions', (await target.versions()).length);
} finally { await d.close(); app.cleanup(); }
