import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findComponent } from '../../config/components.ts';
import { loadConfig } from '../../config/load.ts';
import { forComponent } from '../../config/resolved.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { createTarget } from '../create-target.ts';
import type { Target } from '../target.ts';
import { stopDaemon } from './launcher.ts';
import { leasePath, readLeaseFile } from './lease-keeper.ts';
import { statePaths } from './paths.ts';

// The daemon starts the recovery itself (the built CLI, `npm run build` first) when a release's lease lapses: in a
// project with components it must recover through the world whose lease lapsed, not the first component's.
let dir: string;
const targets: Target[] = [];

afterAll(async () => {
  for (const t of targets) await t.close();
  for (const name of ['web', 'api']) await stopDaemon(dir, null, name);
  rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-component-recovery-'));
  const files: Record<string, string> = {
    'shipshape.config.json': JSON.stringify({
      local: { port: 0, controlPort: 0 },
      components: [
        { name: 'api', dir: 'api' },
        { name: 'web', dir: 'web', after: ['api'] },
      ],
    }),
    'api/wrangler.jsonc': JSON.stringify({
      name: 'cr-api',
      main: 'src/index.js',
      compatibility_date: '2025-09-01',
    }),
    'web/wrangler.jsonc': JSON.stringify({
      name: 'cr-web',
      main: 'src/index.js',
      compatibility_date: '2025-09-01',
    }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules', 'wrangler'), join(root, 'node_modules', 'wrangler'), 'dir');
  return root;
}

async function eventually<T>(check: () => T | null | false, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("a component world's lapsed lease", () => {
  it("is recovered through that component's own platform (recover --component)", async () => {
    dir = project();
    const config = await loadConfig({ cwd: dir, env: null });
    for (const name of ['api', 'web']) {
      const view = forComponent(config, findComponent(config.components, name));
      targets.push(await createTarget(view, { env: process.env }));
    }
    const web = targets[1];
    // A release takes web's lease and then goes silent: no renewal.
    const held = await web.guard?.acquire('rel-silent', 600);
    expect(held).toBe(1);
    const webPaths = statePaths(dir, null, 'web');
    // The daemon fences the holder (2), its recovery takes the lease at that generation (3) and lets it go.
    const done = await eventually(() => {
      const lease = readLeaseFile(webPaths);
      return lease && lease.release === null && lease.generation >= 3 && lease;
    }, 60_000);
    expect(done).toMatchObject({ recovering: false, attempts: 0 });
    // The recovery says what it did after it gives the lease back: its log line may land a moment later.
    const logPath = join(webPaths.root, 'recover.log');
    const log = await eventually(
      () =>
        existsSync(logPath) &&
        readFileSync(logPath, 'utf8').includes('rel-silent') &&
        readFileSync(logPath, 'utf8'),
      15_000,
    ).catch(() => readFileSync(logPath, 'utf8'));
    expect(log).toContain('rel-silent');
    // api's world was never touched: no lease, no recovery.
    expect(existsSync(leasePath(statePaths(dir, null, 'api')))).toBe(false);
  }, 90_000);
});
