import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished } from '../support/app.ts';
import { type FixtureApp, fixtureApp, initFixture } from '../support/fixture-app.ts';

let app: FixtureApp;
beforeAll(() => {
  app = fixtureApp('do-counter');
});
afterAll(() => app?.cleanup());

function edit(file: string, from: string, to: string): void {
  const path = join(app.dir, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
}

async function count(method: 'GET' | 'POST'): Promise<{ n: number; label: string }> {
  const res = await fetch(new URL('/count', app.url()), { method });
  expect(res.status).toBe(200);
  return (await res.json()) as { n: number; label: string };
}

describe('a Durable Object counter on the local target', () => {
  it('init, then deploy promotes it', async () => {
    expect((await initFixture(app)).code).toBe(0);
    const { code, events, stderr } = await app.cli(['deploy', '--json']);
    expect(code, stderr).toBe(0);
    expect(finished(events)?.outcome).toBe('promoted');
  });

  it("keeps the object's count across a version change", async () => {
    for (let i = 0; i < 3; i++) await count('POST');
    expect(await count('GET')).toEqual({ n: 3, label: 'v1' });
    edit('wrangler.jsonc', '"LABEL": "v1"', '"LABEL": "v2"');
    app.commit('v2');
    const { code, events, stderr } = await app.cli(['deploy', '--json']);
    expect(code, stderr).toBe(0);
    expect(finished(events)?.outcome).toBe('promoted');
    expect(await count('POST')).toEqual({ n: 4, label: 'v2' });
  });

  it('refuses a version whose Durable Object migrations change (10211), the serving version untouched', async () => {
    edit(
      'wrangler.jsonc',
      '"migrations": [{ "tag": "v1", "new_sqlite_classes": ["Counter"] }]',
      '"migrations": [{ "tag": "v1", "new_sqlite_classes": ["Counter"] }, { "tag": "v2", "new_sqlite_classes": ["Other"] }]',
    );
    app.commit('v3 with a migration');
    const { code, stdout } = await app.cli(['deploy', '--json']);
    expect(code).toBe(6);
    expect(stdout).toContain('LOCAL_DO_MIGRATION_GRADUAL');
    expect(stdout).toContain('10211');
    expect(await count('GET')).toEqual({ n: 4, label: 'v2' });
  });
});
