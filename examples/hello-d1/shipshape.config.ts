import { defineConfig } from 'shipshape';
import { FLAG_DEFINITIONS } from './src/flag-definitions';

// The worker itself (name, entry, D1 "DB", KV "FLAGS", migrations/) is read from wrangler.jsonc.
// Bakes and the monitor window are demo-sized (seconds, not the 5m / 15m defaults) so a release finishes in
// about a minute; the traffic generator gives the judge something to measure.
export default defineConfig({
  gates: {
    // Secrets the worker needs are listed here, e.g. required: ['ADMIN_TOKEN'] (checked in .dev.vars locally).
    env: { required: [], optional: [] },
    checks: [{ name: 'typecheck', command: 'node -e "process.exit(0)"', timeout: '2m' }],
  },
  release: { retries: { attempts: 3, backoff: ['0s', '2s', '5s'] } },
  health: {
    checks: [
      {
        name: 'health endpoint',
        path: '/health',
        json: { status: 'healthy', database: 'ok' },
        critical: true,
        retryDelay: '500ms',
      },
      { name: 'items API', path: '/api/items', status: 200, retryDelay: '500ms' },
    ],
    securityHeaders: ['x-content-type-options', 'x-frame-options', 'strict-transport-security'],
  },
  e2e: {
    endpoints: [{ name: 'list items', path: '/api/items?limit=5' }],
    command: 'node scripts/e2e.mjs',
    p95: '500ms',
  },
  rollout: {
    steps: [10, 50, 100],
    bake: '15s',
    interval: '2s',
    maxExtension: '20s',
    traffic: {
      enabled: true,
      rps: 60,
      paths: [
        { path: '/api/items', weight: 3 },
        { path: '/', weight: 1 },
      ],
    },
  },
  analysis: { minSamples: 40 },
  monitor: { duration: '10s', interval: '2s', sustained: 3 },
  flags: {
    binding: 'FLAGS',
    // The same object the worker reads its defaults from: each default is written once.
    definitions: FLAG_DEFINITIONS,
  },
  rollback: { flags: { NEW_GREETING_ENABLED: false } },
  environments: {
    staging: { rollout: { bake: '30s' } },
  },
});
