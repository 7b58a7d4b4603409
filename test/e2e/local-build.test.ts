import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../src/config/wrangler.ts';
import { buildWorker } from '../../src/targets/build/build.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';

let app: ExampleCopy;

beforeAll(() => {
  app = copyExample({ git: false });
});

afterAll(() => app.cleanup());

it('bundles with wrangler, runs the build command with the env, and hashes the bundle', async () => {
  const worker = loadWorkerConfig(app.dir, null);
  const good = await buildWorker(worker, { ...process.env, FAULT: '' });
  const faulty = await buildWorker(worker, { ...process.env, FAULT: 'errors:0.08' });
  expect(good).toMatchObject({ worker: 'hello-d1', mainModule: 'index.js' });
  expect(good.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(faulty.hash).not.toBe(good.hash);
  const again = await buildWorker(worker, { ...process.env, FAULT: '' });
  expect(again.hash).toBe(good.hash);
  for (const built of [good, faulty, again]) rmSync(dirname(built.dir), { recursive: true, force: true });
}, 60_000);

it('turns a bundler error into BUILD_FAILED with the message, file and line (exit 2)', async () => {
  writeFileSync(join(app.dir, 'src', 'items.ts'), 'export function listItems( {\n  return 1;\n}\n');
  const err = await buildWorker(loadWorkerConfig(app.dir, null), { ...process.env, FAULT: '' }).catch(
    (e: unknown) => e,
  );
  expect(err).toMatchObject({
    code: 'BUILD_FAILED',
    exitCode: 2,
    kind: 'user',
    details: { file: 'src/items.ts', line: 2 },
  });
  expect((err as Error).message).toMatch(/src\/items\.ts:2:\d+: Expected/);
}, 60_000);
