import { HEALTH_PATHS, UNROUTED_PATH } from './candidate-paths.ts';
import { type PathAnswer, SECURITY_HEADERS } from './probe-app.ts';

/** One check as init writes it; only what the app was seen to meet. */
export interface WrittenCheck {
  name: string;
  path: string;
  status: number;
  json?: Record<string, unknown>;
  critical?: boolean;
}

export interface SuggestedChecks {
  health: WrittenCheck[];
  securityHeaders: string[];
  e2e: WrittenCheck[];
  /** Commented-out suggestions: what the app did not do today. */
  comments: string[];
  /** What init found, one line each, for its output. */
  found: string[];
  /** False when the app could not be started: every check is a guess. */
  confirmed: boolean;
}

const MAX_E2E = 5;
/** Body fields a health endpoint commonly reports and that stay the same from one request to the next. */
const STABLE_FIELDS = ['status', 'ok', 'healthy'];

/**
 * Turns what the app answered into checks it passes today: the first health path that answers (else the root)
 * as the critical health check, with its JSON status field when it has one; the security headers it already
 * sends; the other paths that answer as e2e endpoints. Everything else becomes a commented suggestion. Pure.
 * @example suggestChecks([{ path: '/', status: 200, ... }]).health // [{ name: 'home page', path: '/', status: 200, critical: true }]
 */
export function suggestChecks(answers: PathAnswer[] | null, failure: string | null = null): SuggestedChecks {
  if (!answers) return unconfirmed(failure ?? 'the app could not be started');
  const unrouted = answers.find((a) => a.path === UNROUTED_PATH);
  const ok = (a: PathAnswer) => a.status !== null && a.status >= 200 && a.status < 400;
  // A catch-all app answers any path the same way: there, only an answer unlike the unrouted one is a route.
  const catchAll = unrouted !== undefined && ok(unrouted);
  const answered = (a: PathAnswer) =>
    ok(a) && (a.path === '/' || !catchAll || a.json !== null || a.contentType !== unrouted?.contentType);
  answers = answers.filter((a) => a.path !== UNROUTED_PATH);
  const byPath = new Map(answers.map((a) => [a.path, a]));
  const comments: string[] = catchAll
    ? [
        `the app answers any path (${UNROUTED_PATH} → ${unrouted?.status}): only answers unlike that one count`,
      ]
    : [];
  const found = [...answers, ...(unrouted ? [unrouted] : [])].map(
    (a) =>
      `GET ${a.path} → ${a.status ?? `no answer (${a.error})`}${a.json ? ' JSON' : ''} in ${a.latencyMs} ms`,
  );
  const healthAnswer = HEALTH_PATHS.slice(0, -1)
    .map((p) => byPath.get(p))
    .find((a): a is PathAnswer => a !== undefined && answered(a));
  const root = byPath.get('/');
  const primary = healthAnswer ?? (root && answered(root) ? root : undefined);
  const health: WrittenCheck[] = [];
  if (primary) {
    const json = stableJson(primary.json);
    health.push({
      name: primary === healthAnswer ? 'health endpoint' : 'home page',
      path: primary.path,
      status: primary.status as number,
      ...(json ? { json } : {}),
      critical: true,
    });
  } else {
    comments.push('no health path answered with 2xx/3xx today; the check below is a guess:');
    health.push({ name: 'home page', path: '/', status: 200, critical: true });
  }
  if (!healthAnswer) {
    comments.push(
      'a dedicated health route is worth adding, e.g. GET /health → {"status":"healthy"}, then:',
      "{ name: 'health endpoint', path: '/health', json: { status: 'healthy' }, critical: true },",
    );
  }
  const securityHeaders = primary ? primary.securityHeaders : [];
  const missing = SECURITY_HEADERS.filter((h) => !securityHeaders.includes(h));
  if (missing.length)
    comments.push(
      `security headers not sent by ${primary?.path ?? '/'} today: ${missing.join(', ')} (add them, then list them in health.securityHeaders)`,
    );
  const e2e: WrittenCheck[] = [];
  for (const a of answers) {
    if (a === primary || (HEALTH_PATHS.slice(0, -1).includes(a.path) && !answered(a))) continue;
    if (answered(a) && e2e.length < MAX_E2E)
      e2e.push({ name: `GET ${a.path}`, path: a.path, status: a.status as number });
    else if (!HEALTH_PATHS.includes(a.path) && !ok(a))
      comments.push(
        `GET ${a.path} answered ${a.status ?? 'nothing'} today: { name: 'GET ${a.path}', path: '${a.path}' },`,
      );
  }
  return { health, securityHeaders, e2e, comments, found, confirmed: true };
}

function unconfirmed(reason: string): SuggestedChecks {
  return {
    health: [{ name: 'home page', path: '/', status: 200, critical: true }],
    securityHeaders: [],
    e2e: [],
    comments: [
      `not confirmed: ${reason}; the check below is a guess (GET / answering 200)`,
      "{ name: 'health endpoint', path: '/health', json: { status: 'healthy' }, critical: true },",
    ],
    found: [`could not probe the app: ${reason}`],
    confirmed: false,
  };
}

/** Only a health body's stable fields (`status`, `ok`, `healthy` with a string or boolean value). */
function stableJson(json: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!json) return null;
  const picked = Object.fromEntries(
    STABLE_FIELDS.filter((k) => typeof json[k] === 'string' || typeof json[k] === 'boolean').map((k) => [
      k,
      json[k],
    ]),
  );
  return Object.keys(picked).length ? picked : null;
}
