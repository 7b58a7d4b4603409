import { execFileSync } from 'node:child_process';
import { loadConfig } from './src/config/load.ts';
import { copyExample } from './src/demo/copy-example.ts';
import { createTarget } from './src/targets/create-target.ts';
import { stopDaemon } from './src/targets/local/launcher.ts';
const app = copyExample({ git: true });
try {
  const config = { ...(await loadConfig({ cwd: app.dir, env: null })), local: { port: 0, controlPort: 0 } };
  const target = await createTarget(config, { env: { ...process.env, FAULT: '' } });
  const art = await target.build();
  const a = await target.upload(art, { message: 'first release' });
  const b = await target.upload(art, { message: 'second' });
  await target.setTraffic([{ version: b.id, percent: 10 }, { version: a.id, percent: 90 }]);
  for (let i = 0; i < 50; i++) await (await target.request('/health')).text();
  console.log(execFileSync(process.execPath, ['bin/shipshape.js', 'local', 'status', '--cwd', app.dir]).toString());
  console.log(a.gitSha);
} finally { await stopDaemon(app.dir); app.cleanup(); }
