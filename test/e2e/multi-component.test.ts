import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentPlan, EventOf, ShipshapeEvent } from '../../src/events/types.ts';
import { finished } from '../support/app.ts';
import { copyExample, type ExampleCopy, PACKAGE_ROOT } from '../support/example.ts';

// examples/multi-component as a user's repository: api (D1) ← web (assets, service binding to the api), and a
// Pages site. The example's own config and bakes; only its ports become free ones. Tests build on each other.
const CLI = join(PACKAGE_ROOT, 'bin', 'shipshape.js');
const FAULT = { FAULT: 'errors:0.08' };
type Name = 'api' | 'web' | 'site';
interface Live {
  url: string;
  split: Array<{ version: string; percent: number }>;
  versions: string[];
}

let app: ExampleCopy;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: app.dir });
}

/** The built CLI as a subprocess in the copy; `json: false` for the human output. */
function cli(
  args: string[],
  env: Record<string, string> = {},
  json = true,
): Promise<{ code: number; stdout: string; stderr: string; events: ShipshapeEvent[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--cwd', app.dir, ...(json ? ['--json'] : [])], {
      env: { ...process.env, CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const events = json
        ? stdout
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as ShipshapeEvent)
        : [];
      resolve({ code: code ?? -1, stdout, stderr, events });
    });
  });
}

/** Each component's live deployment, from its own local platform (`local status --json`). */
async function live(): Promise<Record<Name, Live>> {
  const { code, stdout } = await cli(['local', 'status']);
  expect(code).toBe(0);
  const records = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return Object.fromEntries(
    records.map((r) => [
      r.component,
      { url: r.url, split: r.deployment.split, versions: r.versions.map((v: { id: string }) => v.id) },
    ]),
  ) as Record<Name, Live>;
}

function plan(events: ShipshapeEvent[]): Record<string, ComponentPlan['change']> {
  const event = events.find((e) => e.type === 'plan') as EventOf<'plan'> | undefined;
  return Object.fromEntries((event?.components ?? []).map((c) => [c.name, c.change]));
}

function uploaded(events: ShipshapeEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'version.uploaded' ? [e.component ?? '?'] : []));
}

function percents(events: ShipshapeEvent[], version: string): number[] {
  return events.flatMap((e) =>
    e.type === 'traffic.changed' ? e.split.filter((s) => s.version === version).map((s) => s.percent) : [],
  );
}

/** A visible change to the web component's page, committed (the gate wants a clean tree). */
function changeWeb(text: string): void {
  const page = join(app.dir, 'web', 'public', 'index.html');
  writeFileSync(page, readFileSync(page, 'utf8').replace('</h1>', `</h1>\n    <p>${text}</p>`));
  git('commit', '-qam', `web: ${text}`);
}

beforeAll(() => {
  app = copyExample({ name: 'multi-component', git: true });
  const file = join(app.dir, 'shipshape.config.ts');
  const config = readFileSync(file, 'utf8');
  const free = config.replace(
    /local: \{ port: \d+, controlPort: \d+ \}/,
    'local: { port: 0, controlPort: 0 }',
  );
  expect(free).not.toBe(config);
  writeFileSync(file, free);
  git('commit', '-qam', 'free ports');
});

afterAll(() => {
  if (!app) return;
  try {
    execFileSync(process.execPath, [CLI, 'local', 'stop', '--cwd', app.dir], { stdio: 'ignore' });
  } finally {
    app.cleanup();
  }
});

describe('examples/multi-component: api, web and a Pages site released together', () => {
  const first = {} as Record<Name, string>;
  let webV2: string;

  it('promotes all three in dependency order; web answers /api/items through the API', {
    timeout: 240_000,
  }, async () => {
    const { code, events, stderr } = await cli(['deploy']);
    expect(code, stderr).toBe(0);
    const end = finished(events);
    expect(end?.outcome).toBe('promoted');
    expect(end?.components?.map((c) => c.name)).toEqual(['api', 'web', 'site']);
    const planned = (events.find((e) => e.type === 'plan') as EventOf<'plan'>).components ?? [];
    expect(planned.map((c) => [c.name, c.kind, c.dependsOn, c.change])).toEqual([
      ['api', 'worker', [], 'new'],
      ['web', 'worker', ['api'], 'new'],
      ['site', 'pages', [], 'new'],
    ]);
    const now = await live();
    for (const c of end?.components ?? []) {
      first[c.name as Name] = c.version;
      expect(now[c.name as Name].split).toEqual([{ version: c.version, percent: 100 }]);
    }

    const fromApi = (await (await fetch(`${now.api.url}/api/items`)).json()) as { items: { name: string }[] };
    const viaWeb = await fetch(`${now.web.url}/api/items`);
    expect(viaWeb.status).toBe(200);
    expect(viaWeb.headers.get('x-version-id')).toBe(first.web);
    expect(await viaWeb.json()).toEqual(fromApi);
    expect(fromApi.items.map((i) => i.name)).toEqual(['teapot', 'kettle', 'mug']);
    expect(await (await fetch(now.web.url)).text()).toContain('<h1>Items</h1>');

    const home = await fetch(now.site.url);
    expect(home.headers.get('x-frame-options')).toBe('DENY');
    expect(await (await fetch(`${now.site.url}/api/ping`)).json()).toMatchObject({ pong: true });
    const moved = await fetch(`${now.site.url}/home`, { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([301, '/']);
  });

  it('check and verify run through every component, each check naming its component', {
    timeout: 240_000,
  }, async () => {
    const check = await cli(['check']);
    expect(check.code, check.stderr).toBe(0);
    const gate = check.events.filter((e) => e.type === 'check.finished');
    // The project's checks once; each component's own (env, bindings, migrations) for every component.
    expect(gate.filter((e) => e.name === 'git branch')).toHaveLength(1);
    expect(gate.filter((e) => e.name === 'migrations').map((e) => e.component)).toEqual([
      'api',
      'web',
      'site',
    ]);
    const verify = await cli(['verify']);
    expect(verify.code, verify.stderr).toBe(0);
    const pinned = verify.events.filter((e) => e.type === 'check.finished' && e.phase === 'verify');
    expect(new Set(pinned.map((e) => (e.type === 'check.finished' ? e.component : null)))).toEqual(
      new Set(['api', 'web', 'site']),
    );
    expect(
      verify.events
        .filter((e) => e.type === 'phase.started')
        .map((e) => e.type === 'phase.started' && e.phase),
    ).toEqual(['verify', 'e2e']);
  });

  it('a dry run prints the plan of the three components and touches nothing', {
    timeout: 240_000,
  }, async () => {
    changeWeb('second page');
    const before = await live();
    const { code, events, stderr } = await cli(['deploy', '--dry-run']);
    expect(code, stderr).toBe(0);
    expect(finished(events)?.outcome).toBe('planned');
    expect(plan(events)).toEqual({ api: 'unchanged', web: 'changed', site: 'unchanged' });
    const planned = (events.find((e) => e.type === 'plan') as EventOf<'plan'>).components ?? [];
    expect(planned.map((c) => c.serving?.version)).toEqual([first.api, first.web, first.site]);
    expect(uploaded(events)).toEqual([]);
    expect(events.some((e) => e.type === 'traffic.changed')).toBe(false);
    expect(await live()).toEqual(before);
  });

  it('a change to web alone redeploys only web, through 10% → 50% → 100%', {
    timeout: 240_000,
  }, async () => {
    const before = await live();
    const { code, events, stderr } = await cli(['deploy']);
    expect(code, stderr).toBe(0);
    const end = finished(events);
    expect(end?.outcome).toBe('promoted');
    expect(plan(events)).toEqual({ api: 'unchanged', web: 'changed', site: 'unchanged' });
    expect(uploaded(events)).toEqual(['web']);
    expect(end?.components).toEqual([{ name: 'web', version: expect.any(String), baseline: first.web }]);
    webV2 = end?.components?.[0].version as string;
    expect(percents(events, webV2)).toEqual([0, 10, 50, 100]);
    const now = await live();
    expect(now.api).toEqual(before.api);
    expect(now.site).toEqual(before.site);
    expect(now.web.split).toEqual([{ version: webV2, percent: 100 }]);
    expect(now.web.versions).toEqual([...before.web.versions, webV2]);
    expect(await (await fetch(now.web.url)).text()).toContain('second page');
  });

  it('FAULT=errors:0.08 rebuilds the API alone and rolls it back; the API decided', {
    timeout: 240_000,
  }, async () => {
    const before = await live();
    const { code, events } = await cli(['deploy'], FAULT);
    expect(code).toBe(1);
    expect(plan(events)).toEqual({ api: 'changed', web: 'unchanged', site: 'unchanged' });
    expect(uploaded(events)).toEqual(['api']);
    const end = finished(events);
    expect(end).toMatchObject({ outcome: 'rolled_back', decidedBy: 'api' });
    expect(end?.components?.map((c) => [c.name, c.baseline])).toEqual([['api', first.api]]);
    expect(events.find((e) => e.type === 'verdict' && e.action === 'rollback')).toBeDefined();
    const now = await live();
    expect(now.api.split).toEqual([{ version: first.api, percent: 100 }]);
    expect(now.web).toEqual(before.web);
    expect(now.site).toEqual(before.site);
  });

  it('the faulty API released with a changed web rolls both back, and the report names the API', {
    timeout: 240_000,
  }, async () => {
    changeWeb('third page');
    const { code, events } = await cli(['deploy'], FAULT);
    expect(code).toBe(1);
    expect(plan(events)).toEqual({ api: 'changed', web: 'changed', site: 'unchanged' });
    expect(uploaded(events)).toEqual(['api', 'web']);
    const end = finished(events);
    expect(end).toMatchObject({ outcome: 'rolled_back', decidedBy: 'api' });
    expect(end?.components?.map((c) => [c.name, c.baseline])).toEqual([
      ['api', first.api],
      ['web', webV2],
    ]);
    // Dependants first: web goes back before the API it calls.
    const steps = events.flatMap((e) => (e.type === 'rollback.step' ? [e.step] : []));
    expect(steps.slice(0, 2)).toEqual(['traffic:web', 'traffic:api']);
    const now = await live();
    expect(now.api.split).toEqual([{ version: first.api, percent: 100 }]);
    expect(now.web.split).toEqual([{ version: webV2, percent: 100 }]);
    expect(now.site.split).toEqual([{ version: first.site, percent: 100 }]);

    const report = await cli(['report'], {}, false);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/Decided by.*\*\*api\*\*/);
  });

  it("rollback --component web puts web's previous promoted version back and leaves the others", {
    timeout: 240_000,
  }, async () => {
    const { code, stderr } = await cli(['rollback', '--component', 'web', '--reason', 'by hand']);
    expect(code, stderr).toBe(0);
    const now = await live();
    expect(now.web.split).toEqual([{ version: first.web, percent: 100 }]);
    expect(now.api.split).toEqual([{ version: first.api, percent: 100 }]);
    expect(now.site.split).toEqual([{ version: first.site, percent: 100 }]);
  });
});
