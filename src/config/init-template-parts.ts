/** One check as init writes it (see src/init/suggest-checks.ts). */
export interface TemplateCheck {
  name: string;
  path: string;
  status: number;
  json?: Record<string, unknown>;
  critical?: boolean;
}

/** The checks init found the app passes today, and what it could not confirm (written as comments). */
export interface TemplateChecks {
  health: TemplateCheck[];
  securityHeaders: string[];
  e2e: TemplateCheck[];
  comments: string[];
  confirmed: boolean;
}

/** Without a probe: the root answering 200, unconfirmed. */
export const GUESS: TemplateChecks = {
  health: [{ name: 'home page', path: '/', status: 200, critical: true }],
  securityHeaders: [],
  e2e: [],
  comments: ['not confirmed against the running app; the check below is a guess'],
  confirmed: false,
};

/** `target`, phase 1 (gates; `consoleLog.paths` when the sources are not in ./src) and phase 2, as init writes them. */
export function targetGatesRelease(consoleLogPaths: string[] | null = null): string {
  return `  // Where versions run: "local" (workerd on this machine) or "cloudflare".
  target: 'local',

  // Phase 1: any failure stops the release before anything is touched.
  gates: {
    window: { deniedDays: ['fri'], allowedHours: null, timeZone: 'UTC', freeze: [] },
    branch: 'main',
    cleanTree: true,
    env: { required: [], optional: [], formats: {} },
    // e.g. { name: 'tests', command: 'npm test', timeout: '10m' }
    checks: [],
${consoleLogPaths ? `    // console.log left in these sources stops the release.\n    consoleLog: { paths: ${literal(consoleLogPaths)} },\n` : ''}  },

  // Phase 2: build, back up the database, apply migrations, upload at 0% traffic.
  release: { retries: { attempts: 3, backoff: ['0s', '30s', '60s'] } },
`;
}

/** The `health` key at `indent`, preceded by whether the running app confirmed its checks. */
export function healthBlock(checks: TemplateChecks, indent: string): string {
  return `${indent}// ${checks.confirmed ? 'shipshape init asked the running app: these are the checks it passes today.' : 'shipshape init could not run the app: confirm these by hand.'}
${indent}health: {
${comments(checks.comments, `${indent}  `)}${indent}  checks: [
${checks.health.map((c) => `${indent}    ${literal(c)},\n`).join('')}${indent}  ],
${indent}  securityHeaders: ${literal(checks.securityHeaders)},
${indent}},
`;
}

/** Phase 4, with the endpoints the app answered today; `note` lines go under the phase's own comment. */
export function e2eBlock(endpoints: TemplateCheck[], note: string[] = []): string {
  return `  // Phase 4: smoke endpoints and your e2e command (given SHIPSHAPE_URL and the pin header); p95 budget.
  // A failed endpoint or command stops the release before traffic; mark one critical: false to only lose points.
${comments(note, '  ')}  e2e: {
    endpoints: [${endpoints.length ? `\n${endpoints.map((c) => `      ${literal(c)},\n`).join('')}    ` : ''}],
    command: null,
    p95: '500ms',
  },
`;
}

/** Phase 5 and what follows it: rollout, analysis, monitor, score, rollback, with their defaults. */
export const ROLLOUT_TO_ROLLBACK = `  // Phase 5: traffic steps with a bake at each, judged against the previous version. On the local target
  // shipshape sends its own requests (the paths above); rollout.traffic.enabled: false turns that off.
  rollout: { steps: [10, 50, 100], bake: '5m' },
  analysis: { alpha: 0.01, minSamples: 50 },
  monitor: { duration: '15m', interval: '60s' },
  score: { pass: 80, warn: 60 },
  rollback: { hooks: [], flags: {} },
`;

/** The last key of every config init writes. */
export const ENVIRONMENTS = `  // Per-environment overrides for --env NAME, e.g. production: { rollout: { bake: '10m' } }.
  environments: {},
`;

/** Each line as a `//` comment at `indent`. */
export function comments(lines: string[], indent: string): string {
  return lines.map((l) => `${indent}// ${l}\n`).join('');
}

/** A value as TypeScript source with single-quoted strings, on one line. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k));
    return entries.length ? `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }` : '{}';
  }
  return String(value);
}
