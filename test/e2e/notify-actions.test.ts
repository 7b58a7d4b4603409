import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../../src/events/types.ts';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';

// Every action a person (or the recovery) takes is announced with who and why: promote, abort, a manual rollback,
// a crash recovery and the lock takeover it needs, flag changes and the emergency stop, on the example app released
// on the real local platform. A receiver on 127.0.0.1 records what Slack and a generic webhook get.

// biome-ignore lint/suspicious/noExplicitAny: notification bodies are read as loose JSON in assertions
type Body = Record<string, any>;
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Body;
}

const ACTOR = 'Ada Tester <ada@example.com>';
let app: TestApp;
let server: Server;
let base: string;
const received: Received[] = [];
const held: ServerResponse[] = [];

function config(notify: Record<string, unknown>, rollout: Record<string, unknown> = {}) {
  return {
    ...FAST_CONFIG,
    rollout: { ...FAST_CONFIG.rollout, ...rollout },
    flags: { binding: 'FLAGS', definitions: { NEW_GREETING_ENABLED: { type: 'boolean', default: false } } },
    notify: { timeout: '5s', retries: 1, ...notify },
  };
}
const NOTIFY = () => ({
  slack: { webhook: `${base}/slack` },
  webhooks: [{ url: `${base}/hook`, events: ['action', 'rollback.finished', 'release.finished'] }],
});

function useConfig(next: unknown): void {
  writeFileSync(join(app.dir, 'shipshape.config.json'), JSON.stringify(next));
  execFileSync('git', ['commit', '-qam', 'config'], { cwd: app.dir });
}

const journal = (id: string) =>
  readFileSync(join(app.dir, '.shipshape', 'releases', `${id}.ndjson`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ShipshapeEvent);

const hooks = (match: Body) =>
  received
    .filter((r) => r.path === '/hook')
    .map((r) => r.body)
    .filter((b) => Object.entries(match).every(([k, v]) => b[k] === v));

/** A Slack message's fields as `label → value` (Block Kit: `*Label*\nvalue` in a section's fields). */
function slackFields(body: Body): Record<string, string> {
  const fields = (body.blocks as Body[]).flatMap((b) => (b.fields ?? []) as Body[]);
  return Object.fromEntries(
    fields.map((f) => {
      const [label, ...value] = String(f.text).split('\n');
      return [label.replace(/^\*|\*$/g, ''), value.join('\n')];
    }),
  );
}
const slack = (titleIncludes: string) =>
  received
    .filter((r) => r.path === '/slack' && String(r.body.text).includes(titleIncludes))
    .map((r) => r.body);

/** The Block Kit shape every Slack message has: a title section, a section of fields, the report's context. */
function expectBlockKit(body: Body): void {
  expect(body.blocks.map((b: Body) => b.type)).toEqual(['section', 'section', 'context']);
  expect(body.blocks[0].text).toEqual({
    type: 'mrkdwn',
    text: `*${body.text.replace(/</g, '&lt;').replace(/>/g, '&gt;')}*`,
  });
  expect(body.blocks[2].elements[0].text).toMatch(/shipshape report r-/);
}

/** The versioned record a generic webhook gets for an action, with who and why. */
function expectAction(body: Body | undefined, action: string, reason: string, actor = ACTOR): void {
  expect(body).toMatchObject({
    schema: 'shipshape.notification/v1',
    v: 1,
    type: 'action',
    action,
    actor,
    reason,
    project: { worker: 'hello-d1', env: null },
  });
}

/** Runs a deploy until its output shows `marker`, then acts; returns its exit code and NDJSON records. */
async function deployUntil(
  marker: string,
  act: (release: string, child: ReturnType<TestApp['spawnCli']>) => Promise<void>,
) {
  const child = app.spawnCli(['deploy']);
  let out = '';
  child.stdout?.on('data', (c) => (out += c));
  const closed = new Promise<number>((r) => child.once('close', (c) => r(c ?? -1)));
  const deadline = Date.now() + 120_000;
  while (!out.includes(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const release = out
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as ShipshapeEvent).release)
    .find(Boolean) as string;
  await act(release, child);
  const code = await closed;
  const events = out
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ShipshapeEvent);
  return { code, events, release };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(data) });
      // A receiver that never answers: its sender gives up after notify.timeout.
      if (req.url === '/silent') return void held.push(res);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = prepareApp(config(NOTIFY()));
  execFileSync('git', ['config', 'user.name', 'Ada Tester'], { cwd: app.dir });
  execFileSync('git', ['config', 'user.email', 'ada@example.com'], { cwd: app.dir });
  const first = await app.cli(['deploy']);
  expect(first.code, first.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  app?.cleanup();
  for (const res of held) res.destroy();
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
});

describe('every action announced, with who and why', () => {
  it('promote and abort: the release journals and announces who asked and why', {
    timeout: 300_000,
  }, async () => {
    useConfig(config(NOTIFY(), { steps: [10, { pause: 'manual' }, 100] }));
    const promoted = await deployUntil('"label":"manual pause', async () => {
      const asked = await app.cli(['promote', '--reason', 'canary looks healthy']);
      expect(asked.code, asked.stderr).toBe(0);
    });
    expect(promoted.code).toBe(0);
    const action = hooks({ type: 'action', action: 'promote' })[0];
    expectAction(action, 'promote', 'canary looks healthy');
    expect(action.release).toBe(promoted.release);
    expect(journal(promoted.release).filter((e) => e.type === 'action')).toMatchObject([
      { action: 'promote', actor: ACTOR, reason: 'canary looks healthy' },
    ]);
    const message = slack(`${ACTOR} promoted release`)[0];
    expectBlockKit(message);
    expect(slackFields(message)).toMatchObject({
      Action: 'promote',
      Actor: 'Ada Tester &lt;ada@example.com&gt;',
      Reason: 'canary looks healthy',
      Release: promoted.release,
    });
    // The outcome's message: Block Kit with outcome, score and versions.
    const outcome = slack(`release ${promoted.release} promoted`)[0];
    expectBlockKit(outcome);
    expect(Object.keys(slackFields(outcome))).toEqual(
      expect.arrayContaining(['Outcome', 'Score', 'Version', 'Baseline']),
    );

    const aborted = await deployUntil('"label":"manual pause', async () => {
      const asked = await app.cli(['abort', '--reason', 'checkout is slow', '--actor', 'oncall']);
      expect(asked.code, asked.stderr).toBe(0);
    });
    expect(aborted.code).toBe(1);
    expect(finished(aborted.events)?.outcome).toBe('aborted');
    expectAction(hooks({ type: 'action', action: 'abort' })[0], 'abort', 'checkout is slow', 'oncall');
    expectBlockKit(slack('oncall aborted')[0]);
    expect(slackFields(slack('oncall aborted')[0])).toMatchObject({
      Actor: 'oncall',
      Reason: 'checkout is slow',
    });
    const report = await app.cli(['report', aborted.release]);
    expect(report.code).toBe(0);
    const history = await app.cli(['history']);
    const row = history.events.find((e) => (e as Body).id === aborted.release) as Body;
    expect(row.actions).toMatchObject([{ action: 'abort', actor: 'oncall', reason: 'checkout is slow' }]);
  });

  it('a manual rollback: its action and its notice name the actor and the reason', {
    timeout: 180_000,
  }, async () => {
    const done = await app.cli(['rollback', '--reason', 'bad checkout copy']);
    expect(done.code, done.stderr).toBe(0);
    const release = finished(done.events)?.release as string;
    const action = hooks({ type: 'action', action: 'rollback', release })[0];
    expectAction(action, 'rollback', 'bad checkout copy');
    const notice = hooks({ type: 'rollback.finished', release })[0];
    expect(notice).toMatchObject({
      schema: 'shipshape.notification/v1',
      ok: true,
      actor: ACTOR,
      reason: 'bad checkout copy',
    });
    const message = slack(`release ${release} rolled back to`)[0];
    expectBlockKit(message);
    expect(slackFields(message)).toMatchObject({
      Outcome: 'rolled back',
      Cause: 'bad checkout copy',
      Actor: 'Ada Tester &lt;ada@example.com&gt;',
    });
    // One message for the manual rollback: its notice (the action and the unscored outcome add none).
    expect(received.filter((r) => r.path === '/slack' && r.body.text.includes(release))).toHaveLength(1);
    expect(journal(release).filter((e) => e.type === 'action')).toMatchObject([
      { action: 'rollback', actor: ACTOR, reason: 'bad checkout copy' },
    ]);
  });

  it('a crashed release: the lock takeover and the recovery are announced', {
    timeout: 240_000,
  }, async () => {
    const crashed = await deployUntil('"percent":10', async (_release, child) => {
      child.kill('SIGKILL');
    });
    const done = await app.cli(['rollback', '--reason', 'the deploy runner died']);
    expect(done.code, done.stderr).toBe(0);
    const rollback = finished(done.events)?.release as string;
    const takeover = hooks({ type: 'action', action: 'lock.takeover' })[0];
    expect(takeover).toMatchObject({
      schema: 'shipshape.notification/v1',
      release: rollback,
      actor: ACTOR,
      detail: { from: crashed.release },
    });
    expect(takeover.reason).toContain(`the lock of release ${crashed.release} was stale`);
    const recovery = hooks({ type: 'action', action: 'recover', release: crashed.release })[0];
    expectAction(recovery, 'recover', 'its process died before the release finished');
    expect(journal(crashed.release).find((e) => e.type === 'action')).toMatchObject({
      action: 'recover',
      actor: ACTOR,
    });
    expect(
      journal(rollback)
        .filter((e) => e.type === 'action')
        .map((e) => (e as Body).action),
    ).toEqual(['lock.takeover', 'rollback']);
    const message = slack('took over a stale lock')[0];
    expectBlockKit(message);
    expect(slackFields(message)).toMatchObject({ Action: 'lock.takeover', from: crashed.release });
    expect(slackFields(slack('recovered the crashed release')[0])).toMatchObject({
      Action: 'recover',
      Reason: 'its process died before the release finished',
    });
  });

  it('flag changes and the emergency stop: journaled beside the releases, announced, in the job summary', {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-summary-'));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const ci = { GITHUB_STEP_SUMMARY: summary };
    try {
      for (const args of [
        ['flags', 'set', 'NEW_GREETING_ENABLED', 'true', '--reason', 'launch the new greeting'],
        ['emergency', 'stop', '--reason', 'checkout errors'],
        ['emergency', 'resume', '--reason', 'fixed upstream'],
      ]) {
        const r = await app.cli(args, ci);
        expect(r.code, r.stderr).toBe(0);
      }
      expectAction(hooks({ action: 'flags.set' })[0], 'flags.set', 'launch the new greeting');
      expect(hooks({ action: 'flags.set' })[0]).toMatchObject({
        release: null,
        detail: { changes: 'NEW_GREETING_ENABLED: (default) → true' },
      });
      expectAction(hooks({ action: 'emergency.stop' })[0], 'emergency.stop', 'checkout errors');
      expectAction(hooks({ action: 'emergency.resume' })[0], 'emergency.resume', 'fixed upstream');
      for (const [title, action, reason] of [
        ['set a flag', 'flags.set', 'launch the new greeting'],
        ['lifted the emergency stop', 'emergency.resume', 'fixed upstream'],
      ])
        expect(slackFields(slack(title)[0])).toMatchObject({
          Action: action,
          Actor: 'Ada Tester &lt;ada@example.com&gt;',
          Reason: reason,
        });
      const stop = slack('pulled the emergency stop')[0];
      expect(stop.blocks.map((b: Body) => b.type)).toEqual(['section', 'section']);
      expect(slackFields(stop)).toMatchObject({ Action: 'emergency.stop', Reason: 'checkout errors' });
      const actions = readFileSync(join(app.dir, '.shipshape', 'actions.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Body);
      expect(actions.map((a) => [a.action, a.actor, a.reason])).toEqual([
        ['flags.set', ACTOR, 'launch the new greeting'],
        ['emergency.stop', ACTOR, 'checkout errors'],
        ['emergency.resume', ACTOR, 'fixed upstream'],
      ]);
      const lines = readFileSync(summary, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[1]).toBe(
        `- 👤 ${ACTOR} pulled the emergency stop (changes EMERGENCY_STOP: (default) → true): checkout errors`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a receiver that never answers: the rollback succeeds, its journal warns once notify.timeout ran out', {
    timeout: 180_000,
  }, async () => {
    const silent = [{ url: `${base}/silent`, events: ['action', 'rollback.finished'] }];
    useConfig(config({ webhooks: silent, timeout: '1s', retries: 2 }));
    const done = await app.cli(['rollback', '--reason', 'receiver down']);
    expect(done.code, done.stderr).toBe(0);
    const release = finished(done.events)?.release as string;
    expect(finished(done.events)?.outcome).toBe('rolled_back');
    const warnings = journal(release).filter(
      (e) => e.type === 'log' && e.level === 'warn' && e.message.startsWith('notification'),
    );
    expect(warnings.map((w) => (w as Body).message)).toEqual([
      `notification webhook ${new URL(base).host} failed: no answer within 1000 ms`,
      `notification webhook ${new URL(base).host} failed: no answer within 1000 ms`,
    ]);
    // Both the action and the notice reached it once each: no retry after the deadline.
    expect(received.filter((r) => r.path === '/silent').map((r) => r.body.type)).toEqual([
      'action',
      'rollback.finished',
    ]);
  });
});
