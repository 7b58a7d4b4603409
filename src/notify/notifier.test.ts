import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config/resolved.ts';
import { EventBus } from '../events/bus.ts';
import { attachNotifier } from './notifier.ts';

let server: Server;
let base: string;
const received: { path: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(data) });
      res.statusCode = req.url === '/broken' ? 500 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function config(): ResolvedConfig {
  return {
    env: null,
    projectDir: tmpdir(),
    worker: { name: 'app', env: null },
    notify: {
      slack: { webhook: `${base}/slack` },
      webhooks: [
        { url: `${base}/hook`, events: ['release.finished'] },
        { url: `${base}/broken`, events: ['release.finished'] },
      ],
      timeout: 5000,
      retries: 1,
    },
  } as unknown as ResolvedConfig;
}

describe('attachNotifier', () => {
  it('posts events to webhooks and Slack, redacts secrets, and reports failures as warnings', async () => {
    const bus = new EventBus({ release: 'r-1' });
    const warnings: string[] = [];
    bus.subscribe((e) => e.type === 'log' && warnings.push(e.message));
    const notifier = attachNotifier(bus, config(), { API_TOKEN: 'super-secret-value' });
    bus.emit({ type: 'phase.started', phase: 'gate', index: 1 });
    bus.emit({
      type: 'release.finished',
      score: 96,
      outcome: 'promoted',
      phases: {},
      durationMs: 1,
      version: 'abcdef1234',
      baseline: null,
    });
    bus.emit({ type: 'rollback.started', reason: 'token super-secret-value leaked', from: 'a', to: 'b' });
    const finished = { type: 'rollback.finished' as const, ok: true, to: 'b', durationMs: 5 };
    // The rollback's notice goes through its own step; the stream does not send the record a second time.
    expect(await notifier.rollback({ finished, reason: 'token super-secret-value leaked' })).toBe(true);
    bus.emit(finished);
    await notifier.flush();
    notifier.detach();
    const hook = received.find((r) => r.path === '/hook');
    expect(hook?.body).toMatchObject({ type: 'release.finished', score: 96, release: 'r-1' });
    const slack = received.filter((r) => r.path === '/slack').map((r) => String(r.body.text));
    expect(slack[0]).toContain('app: release r-1 promoted version abcdef12, score 96/100');
    expect(slack).toHaveLength(2);
    expect(slack[1]).toBe('⏪ app: release r-1 rolled back to b: token [redacted] leaked');
    expect(JSON.stringify(received)).not.toContain('super-secret-value');
    expect(received.some((r) => r.body.type === 'phase.started')).toBe(false);
    expect(warnings).toEqual([`notification webhook ${new URL(base).host} answered 500 (2 attempts)`]);
    expect(received.filter((r) => r.path === '/broken')).toHaveLength(2);
    expect(hook?.body.schema).toBe('shipshape.notification/v1');
    const blocks = received.find((r) => r.path === '/slack')?.body.blocks as { type: string }[];
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'context']);
  });
});

describe('Slack messages in Block Kit', () => {
  it("a rolled-back release's outcome names its cause; an action names who and why, escaped", async () => {
    received.length = 0;
    const bus = new EventBus({ release: 'r-2' });
    const notifier = attachNotifier(bus, config(), {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_RUN_ID: '7',
    });
    bus.emit({
      type: 'action',
      action: 'abort',
      actor: 'Ada <ada@example.com>',
      reason: 'p95 > 2s & rising',
    });
    bus.emit({ type: 'rollback.started', reason: 'aborted by hand (shipshape abort)', from: 'v2', to: 'v1' });
    bus.emit({
      type: 'release.finished',
      score: 40,
      outcome: 'aborted',
      phases: {},
      durationMs: 1,
      version: 'v2',
      baseline: 'v1',
    });
    await notifier.flush();
    notifier.detach();
    const [action, outcome] = received.filter((r) => r.path === '/slack').map((r) => r.body);
    expect(action.text).toBe('👤 app: Ada <ada@example.com> aborted release r-2: p95 > 2s & rising');
    expect(action.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*👤 app: Ada &lt;ada@example.com&gt; aborted release r-2: p95 &gt; 2s &amp; rising*',
        },
      },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: ' ' },
        fields: [
          { type: 'mrkdwn', text: '*Action*\nabort' },
          { type: 'mrkdwn', text: '*Actor*\nAda &lt;ada@example.com&gt;' },
          { type: 'mrkdwn', text: '*Reason*\np95 &gt; 2s &amp; rising' },
          { type: 'mrkdwn', text: '*Release*\nr-2' },
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: '<https://github.com/acme/shop/actions/runs/7#artifacts|Report and journal>',
          },
        ],
      },
    ]);
    const fields = (outcome.blocks as { fields?: { text: string }[] }[])[1].fields ?? [];
    expect(fields.map((f) => f.text)).toEqual([
      '*Outcome*\naborted',
      '*Score*\n40/100',
      '*Version*\nv2',
      '*Baseline*\nv1',
      '*Cause*\naborted by hand (shipshape abort)',
    ]);
  });
});
