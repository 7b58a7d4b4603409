import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';

// Steps that can be made slow per run (SLOW_GATE, SLOW_E2E) so a kill lands inside the phase, and a long bake.
const CONFIG = {
  ...FAST_CONFIG,
  gates: {
    ...FAST_CONFIG.gates,
    checks: [{ name: 'slow check', command: 'test -z "$SLOW_GATE" || sleep 60', timeout: '2m' }],
  },
  e2e: { ...FAST_CONFIG.e2e, command: 'test -z "$SLOW_E2E" || sleep 60' },
  rollout: { ...FAST_CONFIG.rollout, bake: '60s' },
};

let app: TestApp;
let v1: string;

beforeAll(async () => {
  app = prepareApp({ ...FAST_CONFIG });
  const first = await app.cli(['deploy']);
  v1 = finished(first.events)?.version as string;
  expect(first.code, first.stderr).toBe(0);
  // From now on the slow config: committed so the gate's clean-tree check passes.
  const { writeFileSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(CONFIG));
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'slow'], {
    cwd: app.dir,
  });
}, 180_000);
afterAll(() => app?.cleanup());

/** Starts a deploy and kill -9s it once its journal shows `marker`. */
async function killWhen(
  marker: (line: Record<string, unknown>) => boolean,
  env: Record<string, string>,
): Promise<void> {
  const dir = join(app.dir, '.shipshape', 'releases');
  const before = new Set(existsSync(dir) ? readdirSync(dir) : []);
  const child = app.spawnCli(['deploy'], env);
  let output = '';
  let exited: number | null = null;
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited !== null)
      throw new Error(`deploy exited (${exited}) before the marker:\n${output.slice(-3000)}`);
    const fresh = existsSync(dir) ? readdirSync(dir).filter((f) => !before.has(f)) : [];
    const lines = fresh.flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    );
    if (lines.some(marker)) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('close', r));
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the marker never appeared in the journal');
}

async function expectRestored(): Promise<void> {
  const { code, events, stderr } = await app.cli(['status']);
  expect(code, stderr).toBe(0);
  const status = events.find((e) => (e as { type: string }).type === 'status') as unknown as {
    deployment: { split: unknown[] };
    last: { outcome: string };
  };
  expect(status.deployment.split).toEqual([{ version: v1, percent: 100 }]);
  expect(['rolled_back', 'aborted']).toContain(status.last.outcome);
}

describe('kill -9 mid-release: the next status restores the last promoted version', () => {
  type Marker = (l: Record<string, unknown>) => boolean;
  const cases: [string, Marker, Record<string, string>][] = [
    ['gate', (l) => l.type === 'phase.started' && l.phase === 'gate', { SLOW_GATE: '1' }],
    ['release', (l) => l.type === 'version.uploaded', {}],
    ['verify', (l) => l.type === 'phase.started' && l.phase === 'verify', { SLOW_E2E: '1' }],
    ['e2e', (l) => l.type === 'phase.started' && l.phase === 'e2e', { SLOW_E2E: '1' }],
    ['rollout', (l) => l.type === 'traffic.changed' && JSON.stringify(l.split).includes('"percent":50'), {}],
  ];
  it.each(cases)(
    'killed in %s',
    async (_phase, marker, env) => {
      await killWhen(marker, env);
      await expectRestored();
    },
    150_000,
  );

  it('two concurrent deploys: one exits 5 naming the holder', { timeout: 120_000 }, async () => {
    const first = app.spawnCli(['deploy'], { SLOW_GATE: '1' });
    const lockDir = join(app.dir, '.shipshape', 'locks');
    const deadline = Date.now() + 30_000;
    while (
      Date.now() < deadline &&
      !(existsSync(lockDir) && readdirSync(lockDir).some((f) => f.endsWith('.lock.json')))
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = await app.cli(['deploy']);
    expect(second.code).toBe(5);
    expect(second.events.find((e) => e.type === 'error')).toMatchObject({ code: 'LOCK_HELD' });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('close', r));
    await expectRestored();
  });
});
