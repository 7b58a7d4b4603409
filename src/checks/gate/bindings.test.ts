import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyBindings } from '../../config/worker-bindings.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { bindingsCheck } from './bindings.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-bindings-check-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(target: 'local' | 'cloudflare' = 'local') {
  const services = [
    { binding: 'AUTH', service: 'auth', entrypoint: null },
    { binding: 'BILLING', service: 'billing', entrypoint: null },
  ];
  const config = testConfig(
    dir,
    { target },
    {
      bindings: { ...emptyBindings(), services },
      unsupported: [{ kind: 'ai', binding: 'AI', code: 'LOCAL_BINDING_UNSUPPORTED', local: 'left unbound' }],
    },
  );
  return bindingsCheck.run(testGateContext(dir, { config }));
}

describe('bindings gate check', () => {
  beforeEach(() => {
    mkdirSync(join(dir, 'workers', 'auth'), { recursive: true });
    writeFileSync(join(dir, 'workers', 'auth', 'wrangler.json'), JSON.stringify({ name: 'auth' }));
  });

  it('warns once per binding the local target cannot run, with its code; a project worker is no finding', async () => {
    const results = [await run()].flat();
    expect(results.map((r) => [r.name, r.status, r.evidence.code])).toEqual([
      ['bindings: ai AI', 'warn', 'LOCAL_BINDING_UNSUPPORTED'],
      ['bindings: services BILLING', 'warn', 'LOCAL_SERVICE_NOT_IN_PROJECT'],
    ]);
    expect(results[1].message).toContain('names worker "billing", which is not in this project');
  });

  it('a binding to another component of the project is no finding', async () => {
    const config = testConfig(
      dir,
      {},
      {
        bindings: {
          ...emptyBindings(),
          services: [{ binding: 'BILLING', service: 'billing', entrypoint: null }],
        },
      },
    );
    const billing = {
      ...config.component,
      name: 'billing',
      implicit: false,
      worker: { ...config.worker, name: 'billing' },
    };
    const self = { ...config.component, implicit: false };
    const results = [
      await bindingsCheck.run(
        testGateContext(dir, { config: { ...config, component: self, components: [billing, self] } }),
      ),
    ].flat();
    expect(results.map((r) => [r.name, r.status])).toEqual([['bindings', 'pass']]);
  });

  it('only informs when the release goes to Cloudflare, where they run', async () => {
    const results = [await run('cloudflare')].flat();
    expect(results.every((r) => r.status === 'pass')).toBe(true);
  });
});
