import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, type FixtureApp, fixtureApp, initAndDeploy } from '../support/fixture-app.ts';

let app: FixtureApp | null = null;
afterEach(() => {
  app?.cleanup();
  app = null;
});

function open(name: string): FixtureApp {
  app = fixtureApp(name);
  return app;
}

describe('storage and event bindings on the local target', () => {
  it('R2: an object uploaded under one version is read by the next', async () => {
    const a = open('r2-upload');
    const first = await initAndDeploy(a);
    expect(first.code, first.stderr).toBe(0);
    expect(first.outcome).toBe('promoted');
    const put = await fetch(new URL('/files/report.txt', a.url()), {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'quarterly numbers',
    });
    expect(await put.json()).toMatchObject({ key: 'report.txt', size: 17, label: 'v1' });
    const config = join(a.dir, 'wrangler.jsonc');
    writeFileSync(config, readFileSync(config, 'utf8').replace('"LABEL": "v1"', '"LABEL": "v2"'));
    a.commit('v2');
    const second = await a.cli(['deploy', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const get = await fetch(new URL('/files/report.txt', a.url()));
    expect(get.headers.get('x-label')).toBe('v2');
    expect(get.headers.get('content-type')).toBe('text/plain');
    expect(await get.text()).toBe('quarterly numbers');
  });

  it('Queues: a message sent by the producer is consumed', async () => {
    const a = open('queue-jobs');
    const deployed = await initAndDeploy(a);
    expect(deployed.code, deployed.stderr).toBe(0);
    const sent = await fetch(new URL('/enqueue?id=job-1', a.url()));
    expect(await sent.json()).toEqual({ queued: 'job-1' });
    const done = await eventually(async () => {
      const res = await fetch(new URL('/done?id=job-1', a.url()));
      const body = (await res.json()) as { consumed: boolean };
      return body.consumed && body;
    });
    expect(done).toEqual({ id: 'job-1', consumed: true });
  });

  it('cron triggers: "local trigger scheduled" fires the handler on demand', async () => {
    const a = open('cron-tick');
    const deployed = await initAndDeploy(a);
    expect(deployed.code, deployed.stderr).toBe(0);
    const before = await fetch(new URL('/last-tick', a.url()));
    expect(await before.json()).toEqual({ last: null });
    const fired = await a.cli(['local', 'trigger', 'scheduled', '--json']);
    expect(fired.code, fired.stderr).toBe(0);
    expect(JSON.parse(fired.stdout.trim())).toMatchObject({
      type: 'local-trigger',
      cron: '*/5 * * * *',
      outcome: 'ok',
    });
    const named = await a.cli(['local', 'trigger', 'scheduled', '--cron', '0 3 * * *']);
    expect(named.code, named.stderr).toBe(0);
    const after = await fetch(new URL('/last-tick', a.url()));
    expect(((await after.json()) as { last: { cron: string } }).last.cron).toBe('0 3 * * *');
  });
});
