import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, ShipshapeEvent } from '../../src/events/types.ts';
import { readJournal } from '../../src/state/journal.ts';
import { FAST_CONFIG, finished, prepareApp, type TestApp } from '../support/app.ts';
import { launchChromium, offlineContext } from '../support/browser.ts';
import { PACKAGE_ROOT } from '../support/example.ts';
import { runCli } from '../support/run-cli.ts';

// A real release of the example rolled back by the judge, its journal turned into an HTML report and a
// post-mortem draft, the report opened in real Chromium from file:// with the network cut.

const OUTPUT = join(PACKAGE_ROOT, 'test-output', 'report-html');
const CONFIG = { ...FAST_CONFIG, rollout: { ...FAST_CONFIG.rollout, bake: '8s', maxExtension: '12s' } };

let app: TestApp;
let browser: Browser | undefined;
let good: string;
let bad: string;

const report = (args: string[]) => runCli(['report', ...args, '--cwd', app.dir], { cwd: app.dir });

/** Windows with requests, per version in the journal: what each chart line must hold. */
function journalPoints(events: ShipshapeEvent[]): Map<string, number> {
  const points = new Map<string, number>();
  for (const e of events)
    if (e.type === 'metrics.sampled')
      for (const v of e.versions) if (v.requests > 0) points.set(v.version, (points.get(v.version) ?? 0) + 1);
  return points;
}

function dataPlaneUrl(): string {
  const info = execFileSync(process.execPath, [
    join(PACKAGE_ROOT, 'bin', 'shipshape.js'),
    'local',
    'status',
    '--json',
    '--cwd',
    app.dir,
  ]);
  return (JSON.parse(info.toString()) as { url: string }).url;
}

/** `clients` users, each always sending its own Cloudflare-Workers-Version-Key, `perSecond` requests in all. */
function keyedUsers(base: string, clients: number, perSecond: number) {
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      await new Promise((r) => setTimeout(r, 1000 / perSecond));
      await fetch(new URL('/api/items', base), {
        headers: { 'cloudflare-workers-version-key': `user-${i % clients}` },
      })
        .then((r) => r.arrayBuffer())
        .catch(() => {});
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

beforeAll(async () => {
  rmSync(OUTPUT, { recursive: true, force: true });
  mkdirSync(OUTPUT, { recursive: true });
  app = prepareApp(CONFIG);
  const first = await app.cli(['deploy']);
  expect(first.code, first.stderr).toBe(0);
  good = finished(first.events)?.release as string;
  const users = keyedUsers(dataPlaneUrl(), 12, 20);
  const faulty = await app.cli(['deploy'], { FAULT: 'errors:0.08' }).finally(() => users.stop());
  expect(finished(faulty.events)?.outcome, faulty.stderr).toBe('rolled_back');
  bad = finished(faulty.events)?.release as string;
}, 240_000);

afterAll(async () => {
  await browser?.close();
  app?.cleanup();
});

describe('report --html of a real rolled-back release, in Chromium with no network', () => {
  it('draws every window of the journal as a chart point, loads nothing remote, and shows the story', async () => {
    const file = join(OUTPUT, 'release.html');
    const written = await report([bad, '--html', '--out', file]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout.trim()).toBe(file);

    const events = readJournal(app.dir, bad);
    const sampled = events.filter((e): e is EventOf<'metrics.sampled'> => e.type === 'metrics.sampled');
    const roles = new Map(sampled.flatMap((e) => e.versions.map((v) => [v.version, v.role] as const)));
    const canary = [...roles].find(([, role]) => role === 'canary')?.[0] as string;
    const baseline = [...roles].find(([, role]) => role === 'baseline')?.[0] as string;
    const points = journalPoints(events);
    expect(points.get(canary)).toBeGreaterThan(0);
    expect(points.get(baseline)).toBeGreaterThan(0);

    browser = await launchChromium();
    const { context, attempted } = await offlineContext(browser);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('figure.chart[data-points] canvas');

    const charts = await page.$$eval('figure.chart', (figures) =>
      figures.map((f) => ({
        id: f.getAttribute('data-chart'),
        points: JSON.parse(f.getAttribute('data-points') ?? '[]') as number[],
        canvases: f.querySelectorAll('canvas').length,
      })),
    );
    expect(charts.map((c) => c.id)).toEqual(['errors-0', 'latency-0']);
    for (const c of charts) expect(c.canvases).toBe(1);
    const [c, b] = [points.get(canary), points.get(baseline)];
    expect(charts[0].points).toEqual([c, b]);
    expect(charts[1].points).toEqual([c, c, b, b]);

    const text = await page.locator('body').innerText();
    expect(text).toContain('rolled back');
    expect(text).toContain('health endpoint');
    expect(text).toContain('Migrations');
    expect(text).toMatch(/Judge[\s\S]*rollback/);
    expect(text).toMatch(/Result: done in/);
    expect(problems).toEqual([]);
    expect(attempted.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(attempted).toEqual([pathToFileURL(file).href]);
    await page.screenshot({ path: join(OUTPUT, 'release.png'), fullPage: true });
    await context.close();
  }, 120_000);
});

describe('report --postmortem', () => {
  it('drafts the rolled-back release from its journal, root cause left to write', async () => {
    const { code, stdout, stderr } = await report([bad, '--postmortem']);
    expect(code, stderr).toBe(0);
    const events = readJournal(app.dir, bad);
    const canaryRequests = events
      .flatMap((e) => (e.type === 'metrics.sampled' ? e.versions : []))
      .filter((v) => v.role === 'canary')
      .reduce((sum, v) => sum + v.requests, 0);
    expect(stdout).toMatch(/^# Post-mortem: \d{4}-\d\d-\d\d hello-d1 rolled back/);
    expect(stdout).toMatch(/- Found by: the judge \(rule `[\w-]+`\)/);
    expect(stdout).toMatch(/- When: [\d:]+ UTC, [\d.]+s after the new version first took user traffic/);
    const canaries = events
      .flatMap((e) => (e.type === 'metrics.sampled' ? e.versions : []))
      .filter((v) => v.role === 'canary');
    const organic = canaries.reduce((sum, v) => sum + (v.organic ?? 0), 0);
    const clients = Math.max(...canaries.map((v) => v.clients ?? 0));
    expect(organic).toBeGreaterThan(0);
    expect(clients).toBeGreaterThan(0);
    expect(clients).toBeLessThanOrEqual(12);
    expect(stdout).toContain(
      `: ${canaryRequests} (${organic} from users, the rest shipshape's generated traffic`,
    );
    expect(stdout).toContain(`- Users on it: at least ${clients} distinct clients`);
    expect(stdout).toMatch(/- Rolled back from \w{8} to \w{8} at [\d:]+ UTC: done in/);
    expect(stdout).toContain('- **Root cause**: **TO WRITE**');
    writeFileSync(join(OUTPUT, 'postmortem.md'), stdout);
  });

  it('refuses the promoted release with a code and names the one to write up', async () => {
    const { code, stderr } = await report([good, '--postmortem']);
    expect(code, stderr).toBe(2);
    expect(stderr).toContain('POSTMORTEM_NOTHING_TO_WRITE_UP');
    expect(stderr).toContain(`${bad} (rolled back)`);
  });

  it('refuses two formats at once', async () => {
    const { code, stderr } = await report(['--html', '--postmortem']);
    expect(code).toBe(2);
    expect(stderr).toContain('choose one of --markdown, --html, --postmortem and --json');
  });
});
