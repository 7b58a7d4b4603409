import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';
import { descendants } from '../support/listening-ports.ts';
import { type NoticeReceiver, startNoticeReceiver } from '../support/notice-receiver.ts';

// The kill matrix: the platform, not the next command, finishes a release whose process died or was suspended.
// A short guard (3 s) keeps it quick; steps can be made slow per run (SLOW_GATE, SLOW_E2E, SLOW_HOOK) so a kill
// lands inside them. The recovery runs with the daemon's environment, where none of them is set. A webhook receiver
// counts each release's rollback notices: exactly one per rollback, whoever sends it.
const GUARD_MS = 3000;
const HOOK_LOG = '.rollback-hooks.log';
const CONFIG = {
  ...FAST_CONFIG,
  gates: {
    ...FAST_CONFIG.gates,
    checks: [{ name: 'slow check', command: 'test -z "$SLOW_GATE" || sleep 60', timeout: '2m' }],
  },
  e2e: { ...FAST_CONFIG.e2e, command: 'test -z "$SLOW_E2E" || sleep 60; test -z "$FAIL_E2E"' },
  rollout: { ...FAST_CONFIG.rollout, bake: '20s' },
  flags: { binding: 'FLAGS', definitions: { NEW_GREETING_ENABLED: { type: 'boolean', default: true } } },
  rollback: {
    guard: `${GUARD_MS / 1000}s`,
    flags: { NEW_GREETING_ENABLED: false },
    // Sleeps first, then records: a hook interrupted before it finished leaves no line, one that ran leaves one.
    hooks: [{ command: `test -z "$SLOW_HOOK" || sleep 30; echo "$SHIPSHAPE_RELEASE" >> ${HOOK_LOG}` }],
  },
};

let app: TestApp;
let v1: string;
let notices: NoticeReceiver;
const timings: Array<[string, { restored: number; closed: number }]> = [];

beforeAll(async () => {
  notices = await startNoticeReceiver();
  const notify = { webhooks: [{ url: notices.url, events: ['rollback.finished'] }] };
  app = prepareApp({ ...CONFIG, notify, rollback: { ...CONFIG.rollback, hooks: [] } });
  writeFileSync(
    join(app.dir, '.gitignore'),
    `${readFileSync(join(app.dir, '.gitignore'), 'utf8')}\n${HOOK_LOG}\n`,
  );
  commit('ignore the hook log');
  const first = await app.cli(['deploy', '--bake', '3s']);
  v1 = finished(first.events)?.version as string;
  expect(first.code, first.stderr).toBe(0);
  writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify({ ...CONFIG, notify }));
  commit('hooks');
}, 180_000);
afterAll(async () => {
  if (timings.length)
    console.log(
      `kill matrix, ms from the kill to the split restored / the release closed: ${JSON.stringify(timings)}`,
    );
  app?.cleanup();
  await notices?.close();
});

function commit(message: string): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', message], {
    cwd: app.dir,
  });
}

const releasesDir = () => join(app.dir, '.shipshape', 'releases');
const journal = (id: string) =>
  readFileSync(join(releasesDir(), `${id}.ndjson`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const split = () =>
  JSON.parse(readFileSync(join(app.dir, '.shipshape', 'local', 'deployment.json'), 'utf8')).split;
const lease = () => JSON.parse(readFileSync(join(app.dir, '.shipshape', 'local', 'lease.json'), 'utf8'));
const hookLines = (id: string) => {
  const path = join(app.dir, HOOK_LOG);
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l === id).length
    : 0;
};

type Marker = (line: Record<string, unknown>) => boolean;

/** Starts a deploy and sends `signal` to it (and, for a kill, its children) once its journal shows `marker`. */
async function signalWhen(
  marker: Marker,
  env: Record<string, string>,
  signal: NodeJS.Signals,
  args: string[] = [],
) {
  const before = new Set(existsSync(releasesDir()) ? readdirSync(releasesDir()) : []);
  const child = app.spawnCli(['deploy', ...args], env);
  let output = '';
  let exited: number | null = null;
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const closed = new Promise<number>((r) => child.once('close', (code) => r(code ?? -1)));
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited !== null)
      throw new Error(`deploy exited (${exited}) before the marker:\n${output.slice(-3000)}`);
    const fresh = existsSync(releasesDir()) ? readdirSync(releasesDir()).filter((f) => !before.has(f)) : [];
    const id = fresh[0]?.replace(/\.ndjson$/, '');
    if (id && journal(id).some(marker)) {
      const pid = child.pid as number;
      // A child listed a moment ago (a gate check's command) may have ended since: ESRCH is not a failure.
      if (signal === 'SIGKILL') for (const p of [pid, ...descendants(pid)]) killIfRunning(p);
      else process.kill(pid, signal);
      return { id, child, closed, killedAt: Date.now(), output: () => output };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('the marker never appeared in the journal');
}

/** Waits, running no command, until the platform has restored v1 and closed the release; returns the ms taken. */
async function restoredBy(id: string, killedAt: number): Promise<{ restored: number; closed: number }> {
  const bound = Date.now() + GUARD_MS + 30_000;
  let restoredAt: number | null = null;
  let closedMs = -1;
  while (Date.now() < bound) {
    const s = split();
    if (restoredAt === null && s.length === 1 && s[0].version === v1 && s[0].percent === 100)
      restoredAt = Date.now();
    const ended = journal(id).some((l) => l.type === 'release.finished');
    if (restoredAt !== null && ended && lease().release === null) {
      closedMs = Date.now() - killedAt;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(split()).toEqual([{ version: v1, percent: 100 }]);
  expect(restoredAt).not.toBeNull();
  const lines = journal(id);
  expect(lines.filter((l) => l.type === 'release.finished')).toHaveLength(1);
  expect(lines.at(-1)?.type).toBe('release.finished');
  expect(['rolled_back', 'aborted']).toContain(lines.at(-1)?.outcome);
  // Flags and hooks as a finished rollback leaves them: applied exactly once when the release was rolled back,
  // which it must be once its version was in the deployment.
  const canary = lineOf(lines, 'version.uploaded')?.version;
  const touched = lines.some(
    (l) => l.type === 'traffic.changed' && canary && JSON.stringify(l.split).includes(String(canary)),
  );
  const rolledBack = lines.some((l) => l.type === 'rollback.started');
  if (touched) expect(rolledBack).toBe(true);
  const steps = lines.filter((l) => l.type === 'rollback.step').map((l) => l.step);
  expect(hookLines(id)).toBe(rolledBack ? 1 : 0);
  expect(steps.filter((s) => s === 'flags')).toHaveLength(rolledBack ? 1 : 0);
  expect(steps.filter((s) => s === 'hook:0')).toHaveLength(rolledBack ? 1 : 0);
  // Notified as a finished rollback is: once, journaled as its last step.
  expect(steps.filter((s) => s === 'notify')).toHaveLength(rolledBack ? 1 : 0);
  expect(notices.count(id)).toBe(rolledBack ? 1 : 0);
  expect(lease().release).toBeNull();
  return { restored: (restoredAt as number) - killedAt, closed: closedMs };
}

function lineOf(lines: Record<string, unknown>[], type: string) {
  return lines.find((l) => l.type === type);
}

describe('the platform owns the release: kill -9 anywhere, no command run', () => {
  const percentOf = (l: Record<string, unknown>, p: number) =>
    l.type === 'traffic.changed' && JSON.stringify(l.split).includes(`"percent":${p}`);
  const cases: [string, Marker, Record<string, string>][] = [
    ['gate', (l) => l.type === 'phase.started' && l.phase === 'gate', { SLOW_GATE: '1' }],
    ['release', (l) => l.type === 'version.uploaded', {}],
    ['verify', (l) => l.type === 'phase.started' && l.phase === 'verify', { SLOW_E2E: '1' }],
    ['e2e', (l) => l.type === 'phase.started' && l.phase === 'e2e', { SLOW_E2E: '1' }],
    ['bake at 50%', (l) => percentOf(l, 50), {}],
    [
      'during the rollback (traffic back, hook running)',
      (l) => l.type === 'rollback.step',
      {
        FAIL_E2E: '1',
        SLOW_HOOK: '1',
      },
    ],
  ];
  it.each(cases)(
    'killed in %s',
    async (name, marker, env) => {
      const { id, killedAt } = await signalWhen(marker, env, 'SIGKILL');
      const ms = await restoredBy(id, killedAt);
      timings.push([name, ms]);
      expect(ms.closed).toBeLessThan(GUARD_MS + 15_000);
    },
    150_000,
  );

  it('killed in the bake at 100% (before promotion)', { timeout: 150_000 }, async () => {
    const { id, killedAt } = await signalWhen((l) => percentOf(l, 100), {}, 'SIGKILL');
    const ms = await restoredBy(id, killedAt);
    timings.push(['bake at 100%', ms]);
  });

  it('paused past its lease: recovered, then fenced when it resumes, changing nothing', {
    timeout: 150_000,
  }, async () => {
    const run = await signalWhen((l) => percentOf(l, 50), {}, 'SIGSTOP');
    const ms = await restoredBy(run.id, run.killedAt);
    timings.push(['paused (SIGSTOP)', ms]);
    const before = readFileSync(join(releasesDir(), `${run.id}.ndjson`), 'utf8');
    process.kill(run.child.pid as number, 'SIGCONT');
    const code = await run.closed;
    expect(code, run.output()).toBe(5);
    expect(run.output()).toContain('LEASE_STALE');
    expect(readFileSync(join(releasesDir(), `${run.id}.ndjson`), 'utf8')).toBe(before);
    expect(split()).toEqual([{ version: v1, percent: 100 }]);
    expect(hookLines(run.id)).toBe(1);
    expect(notices.count(run.id)).toBe(1);
  });

  it('killed in the monitor window at 100% (after the last step, before promotion)', {
    timeout: 150_000,
  }, async () => {
    const inMonitor: Marker = (l) => l.type === 'wait.started' && l.label === 'monitor';
    const { id, killedAt } = await signalWhen(inMonitor, {}, 'SIGKILL', ['--bake', '3s', '--monitor', '60s']);
    const lines = journal(id);
    expect(lines.some((l) => l.type === 'traffic.changed' && percentOf(l, 100))).toBe(true);
    const ms = await restoredBy(id, killedAt);
    timings.push(['monitor at 100%', ms]);
    expect(ms.closed).toBeLessThan(GUARD_MS + 15_000);
    expect(journal(id).at(-1)?.outcome).toBe('rolled_back');
  });

  it('killed between the rollback and its notice: the recovery sends it, once', {
    timeout: 150_000,
  }, async () => {
    // The deploy's own notice is held unanswered: traffic, hook, flags and health are journaled, notify is not.
    notices.holdNext();
    const { id, killedAt } = await signalWhen(() => notices.held() > 0, { FAIL_E2E: '1' }, 'SIGKILL');
    const steps = () =>
      journal(id)
        .filter((l) => l.type === 'rollback.step')
        .map((l) => l.step);
    expect(steps()).toEqual(['traffic', 'hook:0', 'flags', 'health']);
    expect(notices.count(id)).toBe(0);
    const ms = await restoredBy(id, killedAt);
    timings.push(['before the notice', ms]);
    expect(steps()).toEqual(['traffic', 'hook:0', 'flags', 'health', 'notify']);
  });

  it('the next deploy is promoted', { timeout: 180_000 }, async () => {
    // The suite's usual short bakes: the kill points needed long ones, promotion does not.
    const next = await app.cli(['deploy', '--bake', '3s']);
    expect(next.code, next.stderr).toBe(0);
    expect(finished(next.events)?.outcome).toBe('promoted');
  });
});

function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
