import type { WorkerConfig } from './worker-config.ts';

/**
 * A commented shipshape.config.ts for a worker. It names what the wrangler config already says only in
 * comments, never as keys: the worker's name, entry and bindings stay in wrangler's file.
 */
export function initTemplate(worker: WorkerConfig, wranglerFile: string): string {
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

  // Phase 3: checks against the new version, pinned by header before it takes traffic.
  health: {
    checks: [{ name: 'health endpoint', path: '/health', json: { status: 'healthy' }, critical: true }],
    securityHeaders: ['x-content-type-options', 'x-frame-options'],
  },

  // Phase 4: smoke endpoints and your e2e command (given SHIPSHAPE_URL and the pin header); p95 budget.
  e2e: { endpoints: [], command: null, p95: '500ms' },

  // Phase 5: traffic steps with a bake at each, judged against the previous version.
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
