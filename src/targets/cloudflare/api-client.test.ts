import { describe, expect, it } from 'vitest';
import type { ShipshapeError } from '../../errors/shipshape-error.ts';
import { CloudflareApi, parseRetryAfter } from './api-client.ts';

const envelope = (result: unknown, errors: Array<{ code: number; message: string }> = [], status = 200) =>
  new Response(JSON.stringify({ success: errors.length === 0, errors, messages: [], result }), { status });

/** A client over scripted answers: each call takes the next one; waits are recorded, not slept. */
function client(answers: Array<Response | Error>) {
  const waits: number[] = [];
  const seen: string[] = [];
  const api = new CloudflareApi({
    baseUrl: 'https://api.example/client/v4',
    token: 'tok',
    accountId: 'acc',
    wait: async (ms) => {
      waits.push(ms);
    },
    fetch: (async (url: string, init: RequestInit) => {
      seen.push(`${init.method} ${new URL(url).pathname}`);
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    }) as typeof fetch,
  });
  return { api, waits, seen };
}

describe('CloudflareApi', () => {
  it('retries 429 after Retry-After, then 5xx with backoff, and answers the result', async () => {
    const limited = new Response(
      JSON.stringify({ success: false, errors: [{ code: 971, message: 'slow' }] }),
      {
        status: 429,
        headers: { 'retry-after': '2' },
      },
    );
    const { api, waits } = client([
      limited,
      envelope(null, [{ code: 10013, message: 'x' }], 503),
      envelope(42),
    ]);
    expect(await api.call<number>('GET', api.account('/workers/scripts/a/deployments'))).toBe(42);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThan(0);
  });

  it('does not resend a POST that may have run after a 5xx: the error is transient for the release', async () => {
    const { api, seen } = client([envelope(null, [{ code: 10013, message: 'boom' }], 500)]);
    const err = await api
      .call<never>('POST', api.account('/d1/database/d/query'), { body: {} })
      .catch((e: unknown) => e as ShipshapeError);
    expect(err).toMatchObject({ code: 'TARGET_UNAVAILABLE', details: { transient: true } });
    expect(seen).toHaveLength(1);
  });

  it('gives up after the bounded attempts on network errors', async () => {
    const { api, seen } = client(Array.from({ length: 5 }, () => new TypeError('fetch failed')));
    const err = await api
      .call<never>('GET', api.account('/workers/subdomain'))
      .catch((e: unknown) => e as ShipshapeError);
    expect(err).toMatchObject({ code: 'TARGET_UNAVAILABLE' });
    expect(seen).toHaveLength(5);
  });

  it('an auth refusal names the permission and whether the token itself is valid', async () => {
    const refused = () => envelope(null, [{ code: 10000, message: 'Authentication error' }], 403);
    const { api } = client([refused(), envelope({ status: 'active' })]);
    const err = await api
      .call<never>('POST', api.account('/workers/scripts/a/deployments'), { body: {} })
      .catch((e: unknown) => e as ShipshapeError);
    expect(err).toMatchObject({ code: 'CLOUDFLARE_AUTH', exitCode: 2, details: { tokenValid: true } });
    expect(err.message).toMatch(/lacks the permission "Workers Scripts Edit"/);
    const wrong = client([refused(), refused(), refused()]);
    const e2 = await wrong.api
      .call<never>('GET', wrong.api.account('/d1/database/x'))
      .catch((e: unknown) => e as ShipshapeError);
    expect(e2.message).toMatch(/invalid, expired/);
    expect(e2.hint).toMatch(/D1 Read/);
  });

  it('maps Cloudflare codes to the catalogue', async () => {
    const cases: Array<[number, number, string]> = [
      [404, 10007, 'CLOUDFLARE_SCRIPT_NOT_FOUND'],
      [400, 10220, 'CLOUDFLARE_SECRET_CHANGED'],
      [400, 10211, 'CLOUDFLARE_DO_MIGRATION'],
      [400, 7500, 'CLOUDFLARE_D1_QUERY'],
      [404, 7003, 'CLOUDFLARE_NOT_FOUND'],
    ];
    for (const [status, code, expected] of cases) {
      const { api } = client([envelope(null, [{ code, message: 'm' }], status)]);
      const err = await api.call<never>('GET', api.account('/x')).catch((e: unknown) => e as ShipshapeError);
      expect(err.code).toBe(expected);
      expect(err.hint.length).toBeGreaterThan(10);
    }
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeNull();
  });
});
