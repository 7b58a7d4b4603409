import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssetUploads } from './asset-uploads.ts';
import { CfError } from './envelope.ts';

const HASH_A = 'a'.repeat(32);
const HASH_B = 'b'.repeat(32);
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'cf-assets-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const refused = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof CfError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('AssetUploads: upload tokens', () => {
  it('a token it signed verifies with its claims; wrangler can read max_file_count_allowed from it', () => {
    const a = new AssetUploads(temp());
    const jwt = a.sign({ sub: 'pages-upload', project: 'site', max_file_count_allowed: 20000 });
    expect(a.verify(jwt, 'pages-upload')).toMatchObject({ sub: 'pages-upload', project: 'site' });
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
    expect(payload.max_file_count_allowed).toBe(20000);
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('missing, tampered, foreign, expired or other-purpose tokens are 401 8000013', () => {
    const a = new AssetUploads(temp());
    const jwt = a.sign({ sub: 'pages-upload' });
    const [h, p, s] = jwt.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'pages-upload', exp: 9e9 })).toString('base64url')}.${s}`;
    for (const bad of [undefined, 'x', forged, new AssetUploads(temp()).sign({ sub: 'pages-upload' })]) {
      expect(refused(() => a.verify(bad, 'pages-upload'))).toMatchObject({ status: 401, code: 8000013 });
    }
    expect(refused(() => a.verify(`${h}.${p}.${s}`, 'assets-upload'))).toMatchObject({ code: 8000013 });
    vi.useFakeTimers({ now: Date.now() + 2 * 3600_000 });
    expect(refused(() => a.verify(jwt, 'pages-upload')).message).toContain('expired');
  });
});

describe('AssetUploads: files and sessions', () => {
  it('stores by hash, refuses what is not a hash (400 10001), writes a site from its manifest', () => {
    const a = new AssetUploads(temp());
    a.put(HASH_A, Buffer.from('home'));
    expect(a.has(HASH_A)).toBe(true);
    expect(a.has('../etc')).toBe(false);
    expect(refused(() => a.put('../../x', Buffer.from('')))).toMatchObject({ status: 400, code: 10001 });
    const site = temp();
    a.materialize({ '/index.html': HASH_A, '/docs/a.html': HASH_A }, site);
    expect(readFileSync(join(site, 'docs', 'a.html'), 'utf8')).toBe('home');
  });

  it('a manifest path outside the site or a hash never uploaded is 400 10001', () => {
    const a = new AssetUploads(temp());
    a.put(HASH_A, Buffer.from('x'));
    expect(refused(() => a.materialize({ '/../escape': HASH_A }, temp()))).toMatchObject({ code: 10001 });
    expect(refused(() => a.materialize({ '/': HASH_A }, temp()))).toMatchObject({ code: 10001 });
    expect(refused(() => a.materialize({ '/b.txt': HASH_B }, temp()))).toMatchObject({ code: 10001 });
  });

  it('a Workers session asks only for missing hashes and completes once they arrive', () => {
    const a = new AssetUploads(temp());
    a.put(HASH_A, Buffer.from('a'));
    const open = a.openSession({ '/a.txt': HASH_A, '/b.txt': HASH_B });
    expect(open.missing).toEqual([HASH_B]);
    const session = a.verify(open.jwt, 'assets-upload').session as string;
    expect(refused(() => a.completed(open.jwt))).toMatchObject({ code: 8000013 });
    a.put(HASH_B, Buffer.from('b'));
    const done = a.received(session, [HASH_B]) as string;
    expect(a.completed(done)).toEqual({ '/a.txt': HASH_A, '/b.txt': HASH_B });
    expect(refused(() => a.received('nope', []))).toMatchObject({ status: 401, code: 8000013 });
    // Everything already stored: the session's first token is the completion token.
    const again = a.openSession({ '/a.txt': HASH_A });
    expect(again.missing).toEqual([]);
    expect(a.completed(again.jwt)).toEqual({ '/a.txt': HASH_A });
  });
});
