import { describe, expect, it } from 'vitest';
import type { UserConfigInput } from '../../config/schema.ts';
import { testConfig } from '../shared/test-config.ts';
import { comparePath, compareResponses, comparisonRequests } from './compare-responses.ts';
import type { PinnedTarget } from './probe.ts';

type Answer = (
  version: string,
  path: string,
  call: number,
) => { status?: number; body: unknown; headers?: Record<string, string> };

/** A target answering by version; records every request it was sent. */
function fakeTarget(answer: Answer) {
  const sent: Array<{ method: string; path: string; version: string }> = [];
  const target: PinnedTarget = {
    url: async () => 'http://127.0.0.1:1',
    request: async (path, init) => {
      const version = init?.version ?? '';
      sent.push({ method: init?.method ?? 'GET', path, version });
      const { status = 200, body, headers = {} } = answer(version, path, sent.length);
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return new Response(text, { status, headers });
    },
  };
  return { target, sent };
}

function context(answer: Answer, compare: Record<string, unknown> = {}, input: UserConfigInput = {}) {
  const { target, sent } = fakeTarget(answer);
  const config = testConfig('/tmp', {
    ...input,
    analysis: { compare: { paths: ['/api/thing'], ...compare } },
  } as UserConfigInput);
  return { ctx: { config, baseline: { target, version: 'v1' }, canary: { target, version: 'v2' } }, sent };
}

describe('compareResponses', () => {
  it('passes alike answers; noise (a value that differs between the baseline answers) is never reported', async () => {
    const { ctx, sent } = context(
      (version, _path, call) => ({
        body: { name: 'widget', at: call, id: `r${Math.random()}`, version },
        headers: { 'x-version-id': version },
      }),
      { headers: ['x-version-id'] },
    );
    const result = await compareResponses(ctx);
    expect(result.status, result.message).toBe('pass');
    expect(sent).toHaveLength(9);
    expect(sent.map((s) => s.version).slice(0, 3)).toEqual(['v1', 'v2', 'v1']);
    expect(sent.every((s) => s.method === 'GET')).toBe(true);
  });

  it('finds a changed nested field beyond the noise, naming the request path and JSON path, as a warn', async () => {
    const { ctx } = context((version, _path, call) => ({
      body: {
        at: call,
        item: { price: version === 'v2' ? 12 : 10, tags: ['a', version === 'v2' ? 'c' : 'b'] },
      },
    }));
    const result = await compareResponses(ctx);
    expect(result.status).toBe('warn');
    expect(result.critical).toBeUndefined();
    expect(result.message).toContain('GET /api/thing: $.item.price differs');
    expect(result.message).toContain('(and 1 more)');
    expect(result.evidence).toMatchObject({
      path: '/api/thing',
      jsonPath: '$.item.price',
      baseline: '10',
      canary: '12',
    });
    expect((result.evidence.findings as unknown[]).map((f) => (f as { jsonPath: string }).jsonPath)).toEqual([
      '$.item.price',
      '$.item.tags[1]',
    ]);
  });

  it('is critical with onDifference: rollback; status and named headers are compared too', async () => {
    const { ctx } = context(
      (version) => ({
        status: version === 'v2' ? 201 : 200,
        body: {},
        headers: { 'cache-control': `max-age=${version === 'v2' ? 60 : 0}` },
      }),
      { onDifference: 'rollback', headers: ['Cache-Control'] },
    );
    const result = await compareResponses(ctx);
    expect(result.status).toBe('fail');
    expect(result.critical).toBe(true);
    const findings = result.evidence.findings as Array<{ part: string; header?: string }>;
    expect(findings.map((f) => f.part)).toEqual(['status', 'header']);
    expect(findings[1].header).toBe('cache-control');
  });

  it('never reports ignored paths, with [*] wildcards', async () => {
    const { ctx } = context(
      (version) => ({
        body: {
          stamp: version,
          items: [
            { id: `${version}a`, n: 1 },
            { id: `${version}b`, n: 1 },
          ],
        },
      }),
      { ignore: ['$.stamp', '$.items[*].id'] },
    );
    expect((await compareResponses(ctx)).status).toBe('pass');
  });

  it('compares non-JSON bodies as text, values cut to ~200 characters', async () => {
    const { ctx } = context((version) => ({
      body: version === 'v2' ? `<p>${'y'.repeat(500)}</p>` : '<p>hello</p>',
    }));
    const result = await compareResponses(ctx);
    expect(result.status).toBe('warn');
    expect(result.evidence).toMatchObject({ jsonPath: null, baseline: '<p>hello</p>' });
    expect((result.evidence.canary as string).length).toBeLessThanOrEqual(201);
    expect(result.message).toContain('GET /api/thing: body differs');
  });

  it('skips when nothing could be asked', async () => {
    const { ctx } = context(() => {
      throw new Error('connection refused');
    });
    const result = await compareResponses(ctx);
    expect(result.status).toBe('skip');
    expect(result.message).toContain('connection refused');
  });
});

describe('comparePath and comparisonRequests', () => {
  it('refuses any method but GET and HEAD before sending anything', async () => {
    const { ctx, sent } = context(() => ({ body: {} }));
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      await expect(comparePath(ctx, { method, path: '/api/thing' })).rejects.toThrow(`not ${method}`);
    }
    expect(sent).toEqual([]);
    await comparePath(ctx, { method: 'HEAD', path: '/api/thing' });
    expect(sent.every((s) => s.method === 'HEAD')).toBe(true);
  });

  it('defaults to the traffic paths and the GET/HEAD e2e endpoints and health checks, once each', () => {
    const config = testConfig('/tmp', {
      health: { checks: [{ name: 'h', path: '/health' }] },
      e2e: {
        endpoints: [
          { name: 'list', path: '/api/items' },
          { name: 'create', path: '/api/items', method: 'POST' },
          { name: 'peek', path: '/api/peek', method: 'HEAD' },
        ],
      },
      rollout: { traffic: { paths: [{ path: '/api/items' }, { path: '/' }] } },
    });
    expect(comparisonRequests(config)).toEqual([
      { method: 'GET', path: '/api/items' },
      { method: 'GET', path: '/' },
      { method: 'HEAD', path: '/api/peek' },
      { method: 'GET', path: '/health' },
    ]);
  });
});
