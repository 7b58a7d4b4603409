import { defineConfig } from 'shipshape';

// Three components released together. Their order comes from the service bindings: web calls the API
// (services: multi-api), so the API is released, rolled out and at 100% before web takes traffic; the site
// depends on nothing. Bakes and the monitor window are demo-sized (seconds, not the 5m / 15m defaults).
export default defineConfig({
  // Each component's local platform takes these ports plus 2 per component before it (api 8787, web 8789, site 8791).
  local: { port: 8787, controlPort: 8788 },
  gates: {
    // A demo runs any day; a real project keeps the default (no Friday deploys) or its own window.
    window: { deniedDays: [] },
    consoleLog: { paths: ['api/src', 'web/src', 'site/functions'] },
  },
  release: { retries: { attempts: 3, backoff: ['0s', '2s', '5s'] } },
  // Through the last component in release order (the front door); every component answers /health.
  e2e: { endpoints: [{ name: 'health', path: '/health' }], samples: 5, p95: '500ms' },
  rollout: {
    steps: [10, 50, 100],
    bake: '8s',
    interval: '2s',
    maxExtension: '10s',
    // Project-level: each component rolling out gets these paths, so they are paths every component answers.
    traffic: {
      enabled: true,
      rps: 100,
      paths: [
        { path: '/', weight: 4 },
        { path: '/health', weight: 1 },
      ],
    },
  },
  analysis: { minSamples: 40 },
  monitor: { duration: '6s', interval: '2s', sustained: 3 },
  components: [
    {
      name: 'api',
      dir: 'api',
      health: {
        checks: [
          {
            name: 'health endpoint',
            path: '/health',
            json: { status: 'healthy', database: 'ok' },
            critical: true,
            retryDelay: '500ms',
          },
          { name: 'items', path: '/api/items', status: 200, retryDelay: '500ms' },
        ],
        securityHeaders: ['x-content-type-options', 'x-frame-options'],
      },
    },
    {
      name: 'web',
      dir: 'web',
      health: {
        checks: [
          {
            name: 'health endpoint',
            path: '/health',
            json: { status: 'healthy' },
            critical: true,
            retryDelay: '500ms',
          },
          { name: 'home page', path: '/', body: '<h1>Items</h1>', retryDelay: '500ms' },
          // Pinned checks pin the API released with web in the same header: this reaches the new API even on a
          // first release, when the API serves nobody yet.
          { name: 'items through the API', path: '/api/items', critical: true, retryDelay: '500ms' },
        ],
        securityHeaders: ['x-content-type-options', 'x-frame-options'],
      },
    },
    {
      name: 'site',
      dir: 'site',
      health: {
        checks: [
          // First: the security headers check reads this response, where public/_headers applies.
          { name: 'home page', path: '/', body: 'multi-component site', critical: true, retryDelay: '500ms' },
          {
            name: 'health function',
            path: '/health',
            json: { status: 'healthy' },
            critical: true,
            retryDelay: '500ms',
          },
          { name: 'ping function', path: '/api/ping', json: { pong: true }, retryDelay: '500ms' },
        ],
        securityHeaders: ['x-content-type-options', 'x-frame-options', 'strict-transport-security'],
      },
    },
  ],
});
