import type { KvLike } from './flag-cache.ts';
import {
  type AuditEntry,
  appendAudit,
  auditKey,
  type FlagDefinitions,
  type FlagValue,
  mergeOverrides,
  parseAuditDocument,
  parseFlagDocument,
  valueProblem,
} from './flag-types.ts';

export interface AdminRouteOptions {
  /** Path the route answers on. Default "/admin/flags". */
  path?: string;
  /** Name of the secret holding the bearer token. Default "FLAGS_ADMIN_TOKEN". */
  tokenSecret?: string;
  /** Actor recorded in the audit trail. Default "admin-route". */
  actor?: string;
}

interface AdminFlags {
  readonly definitions: FlagDefinitions;
  readonly binding: string;
  readonly key: string;
  invalidate(): void;
}

/**
 * Flags over HTTP for workers that want it: `GET path` returns the values, `PUT path` with
 * `{"flags": {"NAME": value | null}, "reason": "..."}` changes them (null removes the override), validated and
 * audited like the CLI. Every request needs `Authorization: Bearer <secret>` (compared in constant time):
 * 401 without it, 503 when the worker has no such secret. Returns null for other paths.
 * @example return (await handleFlagsAdmin(request, env, flags)) ?? route(request)
 */
export async function handleFlagsAdmin(
  request: Request,
  env: object,
  flags: AdminFlags,
  options: AdminRouteOptions = {},
): Promise<Response | null> {
  if (new URL(request.url).pathname !== (options.path ?? '/admin/flags')) return null;
  const secretName = options.tokenSecret ?? 'FLAGS_ADMIN_TOKEN';
  const bindings = env as Record<string, unknown>;
  const secret = bindings[secretName];
  if (typeof secret !== 'string' || secret.length === 0) {
    return reply(503, {
      error: 'admin_disabled',
      message: `Set the ${secretName} secret to enable this route.`,
    });
  }
  const given = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim() ?? '';
  if (!timingSafeEqual(given, secret)) {
    return reply(401, { error: 'unauthorized', message: 'A valid bearer token is required.' }, true);
  }
  const kv = bindings[flags.binding] as KvLike | undefined;
  if (!kv) return reply(500, { error: 'no_kv', message: `The worker has no KV binding "${flags.binding}".` });
  let overrides: Record<string, unknown>;
  let audit: AuditEntry[];
  try {
    overrides = parseFlagDocument(await kv.get(flags.key));
    audit = parseAuditDocument(await kv.get(auditKey(flags.key)));
  } catch (err) {
    const message = `KV "${flags.key}" (or its audit list) is not readable: ${(err as Error).message}`;
    return reply(409, { error: 'invalid_document', key: flags.key, message });
  }
  if (request.method === 'GET')
    return reply(200, { flags: mergeOverrides(flags.definitions, overrides), overrides });
  if (request.method !== 'PUT')
    return reply(405, { error: 'method_not_allowed', message: 'Use GET or PUT.' });
  const body = (await request.json().catch(() => null)) as { flags?: unknown; reason?: unknown } | null;
  const changes = body?.flags;
  if (!changes || typeof changes !== 'object' || Array.isArray(changes)) {
    return reply(400, { error: 'bad_request', message: 'Expected {"flags": {"NAME": value | null}}.' });
  }
  const problems = Object.entries(changes).flatMap(([name, value]) => {
    const definition = flags.definitions[name];
    if (!definition) return [`${name}: no such flag`];
    const problem = value === null ? null : valueProblem(definition.type, value);
    return problem ? [`${name}: expected ${problem}`] : [];
  });
  if (problems.length > 0) return reply(400, { error: 'invalid_flags', problems });
  const at = new Date().toISOString();
  const reason = typeof body.reason === 'string' ? body.reason : null;
  const next = { ...overrides };
  const entries: AuditEntry[] = [];
  for (const [name, value] of Object.entries(changes) as Array<[string, FlagValue | null]>) {
    const old = Object.hasOwn(overrides, name) ? (overrides[name] as FlagValue) : null;
    if (value === null) delete next[name];
    else next[name] = value;
    entries.push({
      at,
      actor: options.actor ?? 'admin-route',
      action: 'admin',
      flag: name,
      old,
      new: value,
      reason,
    });
  }
  await kv.put(flags.key, JSON.stringify(next));
  await kv.put(auditKey(flags.key), JSON.stringify(appendAudit(audit, entries)));
  flags.invalidate();
  return reply(200, { flags: mergeOverrides(flags.definitions, next), overrides: next });
}

/** Compares every byte whatever the first difference, so the time taken says nothing about the secret. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < y.length; i++) diff |= (x[i % Math.max(x.length, 1)] ?? 0) ^ y[i];
  return diff === 0 && x.length > 0;
}

function reply(status: number, body: unknown, challenge = false): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (challenge) headers['www-authenticate'] = 'Bearer realm="flags"';
  return new Response(JSON.stringify(body), { status, headers });
}
