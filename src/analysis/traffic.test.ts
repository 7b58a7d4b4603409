import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { startTraffic } from './traffic.ts';

const seen: Array<{ path: string; method: string; key: string; extra: string }> = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({
      path: req.url ?? '',
      method: req.method ?? '',
      key: String(req.headers['cloudflare-workers-version-key'] ?? ''),
      extra: String(req.headers['x-extra'] ?? ''),
    });
    res.statusCode = req.url === '/boom' ? 503 : 200;
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const traffic = (t: Record<string, unknown>) =>
  configSchema.parse({ rollout: { traffic: t } }).rollout.traffic;
const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
};

describe('startTraffic', () => {
  it('sends exactly maxRequests over weighted paths, methods, headers and many version keys', async () => {
    seen.length = 0;
    const config = traffic({
      rps: 400,
      maxRequests: 120,
      paths: [{ path: '/a', weight: 3 }, { path: '/boom' }],
      methods: ['GET', 'POST'],
      headers: { 'x-extra': 'yes' },
      keys: 50,
    });
    const handle = startTraffic(config, { url });
    await until(() => seen.length >= 120);
    const totals = await handle.stop();
    expect(totals.sent).toBe(120);
    expect(seen).toHaveLength(120);
    const boom = seen.filter((r) => r.path === '/boom').length;
    expect(totals.failed).toBe(boom);
    expect(seen.filter((r) => r.path === '/a').length).toBeGreaterThan(boom);
    expect(new Set(seen.map((r) => r.method))).toEqual(new Set(['GET', 'POST']));
    expect(new Set(seen.map((r) => r.key)).size).toBeGreaterThan(20);
    expect(seen.every((r) => r.extra === 'yes' && /^k\d+$/.test(r.key))).toBe(true);
  });

  it('stops when the signal aborts and counts an unreachable target as failures', async () => {
    const controller = new AbortController();
    const dead = new URL(url);
    dead.port = '1';
    const handle = startTraffic(traffic({ rps: 100 }), { url: dead.origin, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    const totals = await handle.stop();
    expect(totals.sent).toBeGreaterThan(0);
    expect(totals.failed).toBe(totals.sent);
  });

  it('refuses a non-loopback URL unless allowRemote is set', () => {
    expect(() => startTraffic(traffic({}), { url: 'https://example.com' })).toThrow(ShipshapeError);
    const handle = startTraffic(traffic({ allowRemote: true, maxRequests: 1, url: 'http://192.0.2.1' }), {
      url,
    });
    return handle.stop();
  });
});
