import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJson, startTestServer, type TestServer } from '../../checks/http/test-server.ts';
import { testConfig } from '../../checks/shared/test-config.ts';
import { EventBus } from '../../events/bus.ts';
import type { Target } from '../../targets/target.ts';
import type { ReleaseContext } from '../context.ts';
import { e2ePhase } from './e2e.ts';

let server: TestServer | null = null;
let dir: string | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** /ok answers 200; /broken 500. */
async function phaseWith(e2e: Record<string, unknown>) {
  server = await startTestServer((req, res) =>
    req.path === '/ok' ? sendJson(res, 200, { ok: true }) : sendJson(res, 500, { error: 'broken' }),
  );
  dir = mkdtempSync(join(tmpdir(), 'shipshape-e2e-phase-'));
  const config = testConfig(dir, { e2e: { samples: 2, ...e2e } });
  const target = server.target as unknown as Target;
  const ctx = {
    config,
    bus: new EventBus(),
    options: { dryRun: false, skipE2e: false },
    signal: new AbortController().signal,
    sleep: async () => {},
    outputs: { staged: [{ name: 'hello', config, target, canary: 'v2', baseline: 'v1' }] },
  } as unknown as ReleaseContext;
  return e2ePhase.run(ctx);
}

const retryOnce = { retries: 1, retryDelay: '1ms' };

describe('e2e phase criticality', () => {
  it('a failed endpoint stops the release before traffic by default', async () => {
    const outcome = await phaseWith({
      endpoints: [
        { name: 'ok', path: '/ok', ...retryOnce },
        { name: 'broken', path: '/broken', ...retryOnce },
      ],
    });
    expect(outcome).toMatchObject({ next: 'rollback', critical: true, status: 'fail' });
    expect(outcome.reason).toMatch(/"broken"/);
  });

  it('an endpoint marked critical: false only costs points', async () => {
    const outcome = await phaseWith({
      endpoints: [
        { name: 'ok', path: '/ok', ...retryOnce },
        { name: 'broken', path: '/broken', critical: false, ...retryOnce },
      ],
    });
    expect(outcome.next).toBe('continue');
    expect(outcome.critical).toBeUndefined();
    expect(outcome.score).toBeLessThan(5);
  });

  it('a failing e2e command stops the release unless commandCritical is false', async () => {
    const stops = await phaseWith({ command: 'exit 3' });
    expect(stops).toMatchObject({ next: 'rollback', critical: true });
    await server?.close();
    server = null;
    const costs = await phaseWith({ command: 'exit 3', commandCritical: false });
    expect(costs.next).toBe('continue');
  });

  it('a missed p95 budget only costs a point unless p95Critical', async () => {
    const slow = { endpoints: [{ name: 'ok', path: '/ok', ...retryOnce }], p95: '0ms' };
    const costs = await phaseWith(slow);
    expect(costs).toMatchObject({ next: 'continue', score: 4 });
    await server?.close();
    server = null;
    const stops = await phaseWith({ ...slow, p95Critical: true });
    expect(stops).toMatchObject({ next: 'rollback', critical: true });
    expect(stops.reason).toMatch(/latency p95/);
  });
});
