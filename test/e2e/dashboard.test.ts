import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf } from '../../src/events/types.ts';
import { readJournal } from '../../src/state/journal.ts';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/browser.ts';
import { type RunningDashboard, startDashboard } from '../support/dashboard.ts';
import { PACKAGE_ROOT } from '../support/example.ts';
import { listeningSockets } from '../support/listening-ports.ts';

// `shipshape dashboard` during a real release of the example on the local platform, in real Chromium: the phase
// list advances, the charts gain points, a person aborts with a reason and the release rolls back; then the next
// release is promoted past its manual pause and rolled back from the page. The server admits nobody without its
// token and no other site's POST, and listens on 127.0.0.1 only.

const OUTPUT = join(PACKAGE_ROOT, 'test-output', 'dashboard');
const ACTOR = 'Dee Board <dee@example.com>';
const CONFIG = {
  ...FAST_CONFIG,
  rollout: { ...FAST_CONFIG.rollout, steps: [10, { pause: 'manual' }, 100], bake: '8s', maxExtension: '12s' },
};

let app: TestApp;
let dashboard: RunningDashboard;
let url: URL;
let browser: Browser | undefined;

const origin = () => dashboard.origin;

beforeAll(async () => {
  rmSync(OUTPUT, { recursive: true, force: true });
  mkdirSync(OUTPUT, { recursive: true });
  app = prepareApp(CONFIG);
  execFileSync('git', ['config', 'user.name', 'Dee Board'], { cwd: app.dir });
  execFileSync('git', ['config', 'user.email', 'dee@example.com'], { cwd: app.dir });
  const first = await app.cli(['deploy']);
  expect(first.code, first.stderr).toBe(0);
  dashboard = await startDashboard(app.dir);
  url = dashboard.url;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (dashboard?.child.exitCode === null) dashboard.child.kill('SIGKILL');
  app?.cleanup();
});

describe('shipshape dashboard', () => {
  it('refuses every route without its token, and a POST from another site; listens on 127.0.0.1 only', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')?.length).toBeGreaterThan(20);
    const sockets = listeningSockets(dashboard.child.pid as number);
    expect(sockets).toEqual([{ address: '127.0.0.1', port: Number(url.port) }]);

    for (const path of ['/', '/events', '/api/state', '/?token=wrong', '/events?token=wrong'])
      expect((await fetch(`${origin()}${path}`)).status, path).toBe(401);
    for (const action of ['promote', 'abort', 'rollback']) {
      const res = await fetch(`${origin()}/api/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: origin() },
        body: JSON.stringify({ reason: 'no token' }),
      });
      expect(res.status, action).toBe(401);
    }

    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const jar = await dashboard.cookie();
    const state = await fetch(`${origin()}/api/state`, { headers: { cookie: jar } });
    expect(state.status).toBe(200);
    expect(await state.json()).toMatchObject({ v: 1, worker: 'hello-d1', actor: ACTOR, target: 'local' });

    // The cookie alone does not let another site act: its Origin is refused, as is a POST without one.
    for (const headers of [
      { origin: 'http://evil.example', 'content-type': 'application/json' },
      { 'content-type': 'application/json' },
      { origin: origin(), 'content-type': 'text/plain' },
    ]) {
      const res = await fetch(`${origin()}/api/rollback`, {
        method: 'POST',
        headers: { ...headers, cookie: jar },
        body: JSON.stringify({ reason: 'cross-site' }),
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.json()).toMatchObject({ ok: false, code: 'DASHBOARD_BAD_REQUEST' });
    }
    // Another host name rebound to 127.0.0.1 is not this dashboard.
    const rebound = execFileSync('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      'Host: evil.example',
      `${origin()}/`,
    ]);
    expect(rebound.toString()).toBe('421');
    // Nothing acted: the only release is the first deploy.
    expect(readdirSync(join(app.dir, '.shipshape', 'releases'))).toHaveLength(1);
    // A reason is required.
    const blank = await fetch(`${origin()}/api/abort`, {
      method: 'POST',
      headers: { origin: origin(), 'content-type': 'application/json', cookie: jar },
      body: JSON.stringify({ reason: '  ' }),
    });
    expect(blank.status).toBe(400);
    expect(await blank.json()).toMatchObject({ code: 'DASHBOARD_REASON_REQUIRED' });
  });

  it('follows a real release live in Chromium; its abort, promote and rollback buttons act with the reason', {
    timeout: 300_000,
  }, async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1500, height: 1100 } });
    const requested: string[] = [];
    context.on('request', (r) => requested.push(r.url()));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    /** Fills a button's reason, presses it, and returns `data-ok` and what the page answered. */
    const press = async (action: string, reason: string) => {
      await page.fill(`#form-${action} input[name="reason"]`, reason);
      await page.click(`#form-${action} button`);
      await page.waitForSelector('#result[data-ok]', { timeout: 120_000 });
      return `${await page.getAttribute('#result', 'data-ok')} ${await page.textContent('#result')}`;
    };
    await page.goto(url.href);
    expect(page.url()).toBe(`${origin()}/`);
    await page.waitForSelector('#link:text("live")');

    const deploy = app.spawnCli(['deploy']);
    let out = '';
    deploy.stdout?.on('data', (c) => (out += c));
    const exited = new Promise<number>((r) => deploy.once('close', (c) => r(c ?? -1)));

    // A new release appears without a reload; its phases advance.
    await page.waitForSelector('#release[data-running="true"]', { timeout: 60_000 });
    await page.waitForSelector('li[data-phase="verify"][data-status="pass"]', { timeout: 60_000 });
    await page.waitForSelector('li[data-phase="rollout"][data-status="running"]', { timeout: 60_000 });
    const points = () =>
      page.$$eval('figure.chart[data-chart^="errors"]', (figures) =>
        figures
          .flatMap((f) => JSON.parse(f.getAttribute('data-points') ?? '[]') as number[])
          .reduce((a, b) => a + b, 0),
      );
    await page.waitForSelector('figure.chart[data-points] canvas', { timeout: 60_000 });
    const before = await points();
    await expect.poll(points, { timeout: 60_000 }).toBeGreaterThan(before);
    await expect.poll(() => page.textContent('.split'), { timeout: 60_000 }).toMatch(/10%/);
    await page.waitForSelector('.judge.sev', { timeout: 60_000 });
    await page.screenshot({ path: join(OUTPUT, 'during-rollout.png'), fullPage: true });

    expect(await press('abort', 'dashboard: checkout latency')).toMatch(
      /^true abort requested for release r-/,
    );
    expect(await exited).toBe(1);
    await page.waitForSelector('#release[data-outcome="aborted"]', { timeout: 30_000 });
    // What serves now comes from the platform: the version from before, alone.
    await expect.poll(() => page.textContent('#serving'), { timeout: 30_000 }).toMatch(/100%/);
    await page.screenshot({ path: join(OUTPUT, 'after-abort.png'), fullPage: true });

    const release = JSON.parse(out.split('\n')[0]).release as string;
    const events = readJournal(app.dir, release);
    expect(events.filter((e) => e.type === 'action')).toMatchObject([
      { action: 'abort', actor: ACTOR, reason: 'dashboard: checkout latency' },
    ]);
    expect(events.find((e): e is EventOf<'rollback.finished'> => e.type === 'rollback.finished')?.ok).toBe(
      true,
    );
    expect(finished(events)?.outcome).toBe('aborted');
    expect(await page.textContent('#history')).toContain('abort by Dee Board: dashboard: checkout latency');

    // A refusal reads as the command's coded error: nothing promoted before the serving version.
    expect(await press('rollback', 'too early')).toMatch(/^false NO_ROLLBACK_TARGET: /);

    // Promote from the page past the manual pause; the new version is promoted.
    const next = app.spawnCli(['deploy']);
    const nextExited = new Promise<number>((r) => next.once('close', (c) => r(c ?? -1)));
    await page.waitForSelector('#release[data-running="true"]', { timeout: 60_000 });
    const paused = () => {
      const id = readdirSync(join(app.dir, '.shipshape', 'releases'))
        .sort()
        .at(-1)
        ?.replace('.ndjson', '') as string;
      return readJournal(app.dir, id).some(
        (e) => e.type === 'wait.started' && e.label.includes('manual pause'),
      );
    };
    await expect.poll(paused, { timeout: 90_000 }).toBe(true);
    expect(await press('promote', 'dashboard: looks fine')).toMatch(/^true promote requested for release r-/);
    expect(await nextExited).toBe(0);
    await page.waitForSelector('#release[data-outcome="promoted"]', { timeout: 30_000 });

    // Roll back from the page: a release of its own, journaled with the reason and the actor.
    expect(await press('rollback', 'dashboard: back to the first one')).toMatch(/^true /);
    await expect
      .poll(() => page.textContent('#history'), { timeout: 30_000 })
      .toContain('rollback by Dee Board: dashboard: back to the first one');
    expect(await page.textContent('#history')).toContain('promote by Dee Board: dashboard: looks fine');
    await page.screenshot({ path: join(OUTPUT, 'after-rollback.png'), fullPage: true });
    // The one refusal asked for above is the only failed request the browser reports.
    expect(problems).toEqual([
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
    expect(requested.every((u) => u.startsWith(`${origin()}/`))).toBe(true);
    expect(existsSync(join(OUTPUT, 'after-abort.png'))).toBe(true);
  });

  it('stops cleanly on Ctrl-C', async () => {
    expect(await dashboard.stop()).toBe(0);
    expect(dashboard.output()).toContain('dashboard stopped');
  });
});
