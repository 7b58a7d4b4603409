import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../events/bus.ts';
import type { ShipshapeEvent } from '../../events/types.ts';
import { Describer } from '../../report/describe.ts';
import { testConfig } from '../shared/test-config.ts';
import { runHealthChecks } from './health.ts';
import { healthPhaseScore } from './phase-score.ts';
import { sendJson, startTestServer, type TestServer } from './test-server.ts';

const SECURITY = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };
let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function run(health: Record<string, unknown> = {}) {
  const bus = new EventBus();
  const events: ShipshapeEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const sleeps: number[] = [];
  const config = testConfig('/tmp', { health });
  const results = await runHealthChecks({
    target: server!.target,
    version: 'v2',
    config,
    bus,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { results, events, sleeps, byName: Object.fromEntries(results.map((r) => [r.name, r])) };
}

describe('runHealthChecks', () => {
  it('passes a healthy pinned version, with the override header sent', async () => {
    server = await startTestServer((req, res) =>
      sendJson(
        res,
        200,
        { status: 'healthy', database: 'ok', version: req.pinned },
        { ...SECURITY, 'x-version-id': req.pinned ?? '' },
      ),
    );
    const { results } = await run();
    expect(results.map((r) => [r.name, r.status, r.attempt])).toEqual([
      ['health endpoint', 'pass', 1],
      ['security headers', 'pass', 1],
    ]);
    expect(results[0].critical).toBe(true);
    expect(server.seen.every((s) => s.pinned === 'v2')).toBe(true);
    expect(healthPhaseScore(results)).toBe(5);
  });

  it('retries with retry.scheduled events and warns when it passed late', async () => {
    let calls = 0;
    server = await startTestServer((req, res) => {
      calls++;
      if (req.path === '/health' && calls <= 2) return sendJson(res, 503, { status: 'starting' }, SECURITY);
      sendJson(res, 200, { status: 'healthy' }, SECURITY);
    });
    const { byName, events, sleeps, results } = await run();
    const health = byName['health endpoint'];
    expect(health.status).toBe('warn');
    expect(health.attempt).toBe(3);
    expect(health.message).toContain('passed on attempt 3 of 3');
    const retries = events.filter((e) => e.type === 'retry.scheduled');
    expect(
      retries.map((e) => e.type === 'retry.scheduled' && [e.phase, e.name, e.attempt, e.delayMs]),
    ).toEqual([
      ['verify', 'health endpoint', 1, 2000],
      ['verify', 'health endpoint', 2, 2000],
    ]);
    // The words people read: the first retry follows attempt 1's failure.
    const lines = new Describer().describe(retries[0]);
    expect(lines[0].text).toMatch(/^health endpoint: attempt 1 failed: .*503.*; waiting 2s$/);
    expect(sleeps).toEqual([2000, 2000]);
    expect(healthPhaseScore(results)).toBe(4);
  });

  it('fails a critical check with the first differing JSON path; phase scores 0', async () => {
    server = await startTestServer((_req, res) =>
      sendJson(res, 503, { status: 'unhealthy', database: 'locked' }, SECURITY),
    );
    const { byName, results } = await run();
    const health = byName['health endpoint'];
    expect(health.status).toBe('fail');
    expect(health.critical).toBe(true);
    expect(health.attempt).toBe(3);
    expect(health.message).toContain('status 503, expected 200');
    expect(health.message).toContain('$.status is "unhealthy", expected "healthy"');
    expect(healthPhaseScore(results)).toBe(0);
  });

  it('fails when another version answered: the pin was ignored', async () => {
    server = await startTestServer((_req, res) =>
      sendJson(res, 200, { status: 'healthy' }, { ...SECURITY, 'x-version-id': 'v1' }),
    );
    const { byName } = await run({ checks: [{ name: 'api', path: '/api', retries: 1 }] });
    expect(byName.api.status).toBe('fail');
    expect(byName.api.critical).toBe(true);
    expect(byName.api.message).toContain('answered by version v1, not the pinned v2');
    expect(byName.api.hint).toContain('in the deployment');
  });

  it('checks status, body, headers and latency of non-critical checks; missing security headers lower the score', async () => {
    server = await startTestServer(async (req, res) => {
      if (req.path === '/slow') await new Promise((r) => setTimeout(r, 400));
      res.writeHead(200, { 'content-type': 'text/plain', 'x-frame-options': 'DENY' });
      res.end('hello world');
    });
    const { byName, results } = await run({
      checks: [
        { name: 'home', path: '/', body: 'hello', headers: ['content-type'], critical: true, retries: 1 },
        { name: 'missing', path: '/', body: 'bye', headers: ['x-request-id'], retries: 1 },
        { name: 'slow', path: '/slow', maxLatency: '20ms', retries: 1 },
      ],
    });
    expect(byName.home.status).toBe('pass');
    expect(byName.missing.message).toContain('body does not contain "bye"');
    expect(byName.missing.message).toContain('missing header x-request-id');
    expect(byName.slow.message).toContain('over the 20ms limit');
    expect(byName['security headers'].status).toBe('fail');
    expect(byName['security headers'].message).toContain('x-content-type-options');
    expect(byName['security headers'].critical).toBe(false);
    expect(healthPhaseScore(results)).toBe(2);
  });

  it('says which URL, which version and which attempt timed out', async () => {
    server = await startTestServer(() => {
      // Never answers.
    });
    const { byName } = await run({
      checks: [{ name: 'health', path: '/health', timeout: '200ms', retries: 2 }],
      securityHeaders: [],
    });
    const message = byName.health.message;
    expect(message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/health timed out after 200ms \(version v2, attempt 2 of 2\)/,
    );
    expect(byName.health.evidence.timedOut).toBe(true);
    expect(byName.health.evidence.attempts).toHaveLength(2);
  });

  it('stops retrying when the release is cancelled', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 503, { status: 'starting' }));
    const controller = new AbortController();
    const config = testConfig('/tmp', {
      health: { checks: [{ name: 'h', path: '/health', retries: 5 }], securityHeaders: [] },
    });
    const [r] = await runHealthChecks({
      target: server.target,
      version: 'v2',
      config,
      bus: new EventBus(),
      signal: controller.signal,
      sleep: async () => controller.abort(),
    });
    expect(r.status).toBe('fail');
    expect(r.attempt).toBe(1);
    expect(server.seen).toHaveLength(1);
  });

  it('reports an unreachable target as a failure, not a throw', async () => {
    server = await startTestServer((_req, res) => {
      res.end();
    });
    const target = server.target;
    await server.close();
    server = null;
    const config = testConfig('/tmp', {
      health: { checks: [{ name: 'h', path: '/health', retries: 1 }], securityHeaders: [] },
    });
    const [r] = await runHealthChecks({ target, version: 'v2', config, bus: new EventBus() });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('failed:');
    expect(r.message).toContain('version v2, attempt 1 of 1');
  });
});
