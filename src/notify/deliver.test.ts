import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver } from './deliver.ts';

// A receiver on 127.0.0.1: /flaky answers 500 to its first request and 200 after, /silent never answers,
// /refuse answers 400. Each request's path is recorded.
let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  let flaky = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.url ?? '');
      if (req.url === '/silent') return;
      if (req.url === '/refuse') res.statusCode = 400;
      if (req.url === '/flaky' && flaky++ === 0) res.statusCode = 500;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

const count = (path: string) => seen.filter((p) => p === path).length;

describe('deliver', () => {
  it('retries a 500 and delivers on the second attempt', async () => {
    const d = await deliver(`${base}/flaky`, '{}', { timeoutMs: 5000, retries: 3, backoffMs: 10 });
    expect(d).toEqual({ ok: true, attempts: 2 });
    expect(count('/flaky')).toBe(2);
  });

  it('does not retry a receiver that refuses the message (4xx)', async () => {
    const d = await deliver(`${base}/refuse`, '{}', { timeoutMs: 5000, retries: 3, backoffMs: 10 });
    expect(d).toEqual({ ok: false, attempts: 1, problem: 'answered 400' });
  });

  it('gives up on a receiver that never answers once notify.timeout has passed, saying so', async () => {
    const d = await deliver(`${base}/silent`, '{}', { timeoutMs: 300, retries: 5, backoffMs: 10 });
    expect(d.ok).toBe(false);
    expect(d).toMatchObject({ attempts: 1, problem: 'failed: no answer within 300 ms' });
    expect(count('/silent')).toBe(1);
  });

  it('retries a refused connection until its retries are spent', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const d = await deliver(`http://127.0.0.1:${port}/`, '{}', {
      timeoutMs: 5000,
      retries: 2,
      backoffMs: 10,
    });
    expect(d).toEqual({ ok: false, attempts: 3, problem: 'failed: ECONNREFUSED' });
  });
});
