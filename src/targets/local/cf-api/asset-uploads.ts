import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CF_CODES } from './codes.ts';
import { CfError } from './envelope.ts';

/** How long an upload token lives, as Cloudflare's do (wrangler fetches a new one when it expires). */
const TOKEN_TTL_S = 3600;

/** Asset hashes as wrangler sends them: hex digests (32 characters for Pages and Workers assets). */
const HASH = /^[0-9a-f]{16,128}$/;

/** The claims of an upload token: what it may do and, for Workers assets, its session. */
export interface UploadClaims {
  sub: 'pages-upload' | 'assets-upload' | 'assets-complete';
  exp: number;
  session?: string;
  project?: string;
  max_file_count_allowed?: number;
}

/** A site: URL path ("/index.html") to the hash of its content. */
export type AssetManifest = Record<string, string>;

/**
 * Uploaded static files (Pages and Workers assets), stored once per hash under `<state root>/cf-api-assets/`, and
 * the JWTs that authorise the upload endpoints (signed with a key of this daemon's life). Workers asset sessions
 * (a manifest and the hashes still missing) live in memory: an upload and the version using it happen in one
 * daemon's life, as a Cloudflare upload token outlives neither.
 */
export class AssetUploads {
  private readonly key = randomBytes(32);
  private readonly sessions = new Map<string, { manifest: AssetManifest; missing: Set<string> }>();

  constructor(readonly dir: string) {}

  has(hash: string): boolean {
    return HASH.test(hash) && existsSync(join(this.dir, hash));
  }

  put(hash: string, content: Buffer): void {
    if (!HASH.test(hash)) throw new CfError(400, CF_CODES.invalidField, `"${hash}" is not an asset hash`);
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, hash), content);
  }

  /** Writes the site's files into `into`, each from its stored content; refuses a path outside it or a missing hash. */
  materialize(manifest: AssetManifest, into: string): void {
    for (const [path, hash] of Object.entries(manifest)) {
      const rel = path.replace(/^\/+/, '');
      if (rel === '' || isAbsolute(rel) || rel.split(/[\\/]/).includes('..')) {
        throw new CfError(400, CF_CODES.invalidField, `Asset path "${path}" is not a path inside the site`);
      }
      if (!this.has(hash)) {
        throw new CfError(400, CF_CODES.invalidField, `Asset ${path} (${hash}) was never uploaded`);
      }
      const target = join(into, rel);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(this.dir, hash), target);
    }
  }

  /** Opens a Workers assets session: the hashes to upload, and a token to upload them (or to complete, with none). */
  openSession(manifest: AssetManifest): { jwt: string; missing: string[] } {
    const session = randomUUID();
    const missing = new Set(Object.values(manifest).filter((h) => !this.has(h)));
    this.sessions.set(session, { manifest, missing });
    const sub = missing.size === 0 ? 'assets-complete' : 'assets-upload';
    return { jwt: this.sign({ sub, session }), missing: [...missing] };
  }

  /** Records uploaded hashes of a session; the completion token once none is missing. */
  received(session: string, hashes: string[]): string | null {
    const s = this.sessions.get(session);
    if (!s) throw unauthorized('the upload session is unknown (or the daemon restarted since it began)');
    for (const h of hashes) s.missing.delete(h);
    return s.missing.size === 0 ? this.sign({ sub: 'assets-complete', session }) : null;
  }

  /** The manifest a completion token stands for. */
  completed(jwt: string): AssetManifest {
    const claims = this.verify(jwt, 'assets-complete');
    const s = claims.session ? this.sessions.get(claims.session) : undefined;
    if (!s || s.missing.size > 0) throw unauthorized('the assets completion token names no finished upload');
    return s.manifest;
  }

  sign(claims: Omit<UploadClaims, 'exp'>): string {
    const body = { ...claims, exp: Math.floor(Date.now() / 1000) + TOKEN_TTL_S };
    const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = b64(JSON.stringify(body));
    return `${head}.${payload}.${this.mac(`${head}.${payload}`)}`;
  }

  /** The token's claims when it is ours, unexpired and of the kind wanted; 401 otherwise. */
  verify(jwt: string | undefined, sub: UploadClaims['sub']): UploadClaims {
    const [head, payload, mac] = (jwt ?? '').split('.');
    if (!head || !payload || !mac) throw unauthorized('an upload token (JWT) is required');
    const want = Buffer.from(this.mac(`${head}.${payload}`));
    const got = Buffer.from(mac);
    if (want.length !== got.length || !timingSafeEqual(want, got))
      throw unauthorized('the upload token is not valid');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as UploadClaims;
    if (claims.exp <= Date.now() / 1000) throw unauthorized('the upload token has expired');
    if (claims.sub !== sub) throw unauthorized(`the upload token is for ${claims.sub}, not ${sub}`);
    return claims;
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Pages answers a bad upload token with 8000013 (wrangler then fetches a new one); Workers assets likewise 401. */
function unauthorized(reason: string): CfError {
  return new CfError(401, CF_CODES.pagesUnauthorized, `Unauthorized: ${reason}`);
}
