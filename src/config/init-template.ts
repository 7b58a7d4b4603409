import type { WorkerConfig } from './worker-config.ts';

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
const GUESS: TemplateChecks = {
  health: [{ name: 'home page', path: '/', status: 200, critical: true }],
  securityHeaders: [],
  e2e: [],
  comments: ['not confirmed against the running app; the check below is a guess'],
  confirmed: false,
};

/**
 * A commented shipshape.config.ts for a worker. It names what the wrangler config already says only in
 * comments, never as keys: the worker's name, entry and bindings stay in wrangler's file. The health and e2e
 * checks are the ones `checks` says the app passes today; suggestions it could not confirm stay commented out.
 */
export function initTemplate(
  worker: WorkerConfig,
  wranglerFile: string,
  checks: TemplateChecks = GUESS,
  buildCommand: string | null = null,
): string {
  const d1 = worker.d1.map(
    (d) =>
      `${d.binding} (${d.databaseName}, migrations in ${d.migrationsDir.replace(`${worker.projectDir}/`, '')})`,
  );
  const kv = worker.kv.map((k) => k.binding);
  const flagsBinding = kv[0];
  return `import { defineConfig } from 'shipshape';

// shipshape reads the worker from ${wranglerFile}: "${worker.name}", entry ${worker.main.replace(`${worker.projectDir}/`, '')}
${d1.length ? `// D1: ${d1.join(', ')}\n` : ''}${kv.length ? `// KV: ${kv.join(', ')}\n` : ''}// Every key below is optional; the values shown are the defaults. "shipshape config" prints the resolved config.
export default defineConfig({
  // Where versions run: "local" (workerd on this machine) or "cloudflare".
  target: 'local',

  // Phase 1: any failure stops the release before anything is touched.
  gates: {
    window: { deniedDays: ['fri'], allowedHours: null, timeZone: 'UTC', freeze: [] },
    branch: 'main',
    cleanTree: true,
    env: { required: [], optional: [], formats: {} },
    // e.g. { name: 'tests', command: 'npm test', timeout: '10m' }
    checks: [],
  },

  // Phase 2: build, back up the database, apply migrations, upload at 0% traffic.
  release: { retries: { attempts: 3, backoff: ['0s', '30s', '60s'] } },
${
  buildCommand
    ? `  // The app's own build runs before wrangler bundles its output (its wrangler config names none).
  build: { command: ${literal(buildCommand)} },
`
    : ''
}
  // Phase 3: checks against the new version, pinned by header before it takes traffic.
  // ${checks.confirmed ? 'shipshape init asked the running app: these are the checks it passes today.' : 'shipshape init could not run the app: confirm these by hand.'}
  health: {
${comments(checks.comments, '    ')}    checks: [
${checks.health.map((c) => `      ${literal(c)},\n`).join('')}    ],
    securityHeaders: ${literal(checks.securityHeaders)},
  },

  // Phase 4: smoke endpoints and your e2e command (given SHIPSHAPE_URL and the pin header); p95 budget.
  // A failed endpoint or command stops the release before traffic; mark one critical: false to only lose points.
  e2e: {
    endpoints: [${checks.e2e.length ? `\n${checks.e2e.map((c) => `      ${literal(c)},\n`).join('')}    ` : ''}],
    command: null,
    p95: '500ms',
  },

  // Phase 5: traffic steps with a bake at each, judged against the previous version. On the local target
  // shipshape sends its own requests (the paths above); rollout.traffic.enabled: false turns that off.
  rollout: { steps: [10, 50, 100], bake: '5m' },
  analysis: { alpha: 0.01, minSamples: 50 },
  monitor: { duration: '15m', interval: '60s' },
  score: { pass: 80, warn: 60 },
  rollback: { hooks: [], flags: {} },
${flagsBinding ? `\n  // Feature flags live in KV binding ${flagsBinding}; EMERGENCY_STOP is always defined.\n  flags: { binding: '${flagsBinding}', definitions: {} },\n` : ''}
  // Per-environment overrides for --env NAME, e.g. production: { rollout: { bake: '10m' } }.
  environments: {},
});
`;
}

function comments(lines: string[], indent: string): string {
  return lines.map((l) => `${indent}// ${l}\n`).join('');
}

/** A value as TypeScript source with single-quoted strings, on one line. */
function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : literal(k));
    return entries.length ? `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(', ')} }` : '{}';
  }
  return String(value);
}
