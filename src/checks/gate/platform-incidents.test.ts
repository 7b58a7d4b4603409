import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../config/resolved.ts';
import type { CheckResult } from '../check.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { incidentsGateOn, platformIncidentsCheck } from './platform-incidents.ts';
import { gateChecks } from './run-gate.ts';
import { type StatusPageStandIn, startStatusPage, statusIncident } from './status-page-test-support.ts';

let page: StatusPageStandIn;
beforeAll(async () => {
  page = await startStatusPage();
});
afterAll(() => page.close());

const config = (incidents: Record<string, unknown> = {}) =>
  testConfig('/tmp', {
    gates: { incidents: { enabled: true, url: page.url, timeout: '500ms', ...incidents } },
  });

async function run(c: ResolvedConfig = config(), env: Record<string, string> = {}): Promise<CheckResult[]> {
  return [await platformIncidentsCheck.run(testGateContext('/tmp', { config: c, env }))].flat();
}

describe('incidentsGateOn', () => {
  const on = (input: Parameters<typeof testConfig>[1], env: string | null = null) =>
    incidentsGateOn({ ...testConfig('/tmp', input), env });

  it('by default asks only for production releases to Cloudflare', () => {
    expect(on({})).toBe(false);
    expect(on({ target: 'cloudflare' })).toBe(true);
    expect(on({ target: 'cloudflare' }, 'production')).toBe(true);
    expect(on({ target: 'cloudflare' }, 'staging')).toBe(false);
    expect(on({ target: 'cloudflare', gates: { incidents: { environments: ['prod-eu'] } } }, 'prod-eu')).toBe(
      true,
    );
  });

  it('follows enabled when it is written', () => {
    expect(on({ gates: { incidents: { enabled: true } } }, 'staging')).toBe(true);
    expect(on({ target: 'cloudflare', gates: { incidents: { enabled: false } } })).toBe(false);
    expect(gateChecks(testConfig('/tmp')).map((c) => c.name)).not.toContain('platform incidents');
    expect(gateChecks(config()).map((c) => c.name)).toContain('platform incidents');
  });
});

describe('platformIncidentsCheck', () => {
  it('blocks on an ongoing incident affecting Workers, D1 or KV, with its title and link', async () => {
    page.answer({ incidents: [statusIncident('Elevated errors on Workers KV writes', ['Workers KV'])] });
    const [r] = await run();
    expect(r.status).toBe('fail');
    expect(r.message).toContain('"Elevated errors on Workers KV writes"');
    expect(r.message).toContain('https://stspg.io/');
    expect(r.hint).toContain('gates.incidents.enabled: false');
    expect(r.evidence.incidents).toMatchObject([
      { name: 'Elevated errors on Workers KV writes', affects: ['Workers KV'] },
    ]);
  });

  it('reads the title when the incident lists no component, and the page address when it has no shortlink', async () => {
    const incident = { ...statusIncident('D1 query latency in WNAM', []), shortlink: undefined };
    page.answer({ incidents: [incident] });
    const [r] = await run();
    expect(r.status).toBe('fail');
    expect(r.message).toContain(`https://www.cloudflarestatus.com/incidents/${incident.id}`);
  });

  it('passes when the only incidents are elsewhere, naming them in evidence', async () => {
    page.answer({
      incidents: [
        statusIncident('Network performance issues in Frankfurt', ['Frankfurt, Germany - (FRA)']),
        statusIncident('Dashboard login delays', ['Dashboard', 'KVM Console']),
      ],
    });
    const [r] = await run();
    expect(r.status).toBe('pass');
    expect(r.message).toContain('2 unresolved elsewhere');
    expect(r.evidence.unrelated).toHaveLength(2);
    page.answer({ incidents: [] });
    expect((await run())[0].status).toBe('pass');
  });

  it('only warns when the status page is down, slow or not the documented shape', async () => {
    for (const answer of [
      { status: 503 },
      { body: '<html>maintenance</html>' },
      { body: '{"page":{}}' },
      'hang',
    ] as const) {
      page.answer(answer);
      const [r] = await run();
      expect(r.status, JSON.stringify(answer)).toBe('warn');
      expect(r.message).toContain('not blocking');
    }
    const gone = await startStatusPage();
    await gone.close();
    const [refused] = await run(config({ url: gone.url }));
    expect(refused.status).toBe('warn');
    expect(refused.evidence.problem).toBe('unreachable: ECONNREFUSED');
  });

  it('asks nothing by default when the Cloudflare API is a stand-in', async () => {
    page.answer({ incidents: [statusIncident('Workers outage', ['Workers'])] });
    const c = testConfig('/tmp', { target: 'cloudflare', gates: { incidents: { url: page.url } } });
    expect(await run(c, { CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:1234/client/v4' })).toEqual([]);
    expect(
      (await run(c, { CLOUDFLARE_API_BASE_URL: 'https://api.cloudflare.com/client/v4' }))[0].status,
    ).toBe('fail');
  });
});
