import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { stopDaemon } from '../../src/targets/local/launcher.ts';
import type { Artifact, Target } from '../../src/targets/target.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { steadyLoad } from '../support/steady-load.ts';

let app: ExampleCopy;
let target: Target;
let artifact: Artifact;

beforeAll(async () => {
  app = copyExample({ git: false });
  const config = {
    ...(await loadConfig({ cwd: app.dir, env: null })),
    local: { port: 0, controlPort: 0 },
  };
  target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  artifact = await target.build();
  const db = target.database('DB');
  await db.batch([
    {
      sql: "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL DEFAULT (datetime('now')))",
    },
    { sql: "INSERT INTO items (name) VALUES ('steady')" },
  ]);
}, 120_000);

afterAll(async () => {
  await stopDaemon(app.dir);
  if (artifact) rmSync(dirname(artifact.dir), { recursive: true, force: true });
  app.cleanup();
});

it('fails 0 requests under steady load while 20 uploads and traffic switches happen', async () => {
  const first = await target.upload(artifact, { message: 'v0' });
  await target.setTraffic([{ version: first.id, percent: 100 }]);
  const base = await target.url();
  const load = steadyLoad(base, 8);
  let previous = first.id;
  for (let i = 1; i <= 20; i++) {
    const next = await target.upload(artifact, { message: `v${i}` });
    await target.setTraffic([
      { version: next.id, percent: 10 },
      { version: previous, percent: 90 },
    ]);
    await target.setTraffic([
      { version: next.id, percent: 60 },
      { version: previous, percent: 40 },
    ]);
    await target.setTraffic([{ version: next.id, percent: 100 }]);
    previous = next.id;
  }
  const { ok, failures, versions } = await load.stop();
  expect(failures).toEqual([]);
  expect(ok).toBeGreaterThan(200);
  expect(versions.size).toBeGreaterThan(10);
  expect((await target.deployment()).split).toEqual([{ version: previous, percent: 100 }]);
  expect((await target.versions()).length).toBe(10);
}, 300_000);
