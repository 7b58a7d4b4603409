import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../config/resolved.ts';
import { EventBus } from '../../events/bus.ts';
import { attachJournal } from '../../state/journal.ts';
import type { Target } from '../../targets/target.ts';
import type { CheckResult, GateContext } from '../check.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { promotedBuilds } from './promoted-builds.ts';
import { promotionCheck } from './promotion.ts';
import { gateChecks } from './run-gate.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-promotion-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Upload = { hash: string; component?: string };

/** A release journal as the pipeline writes it: started, one upload per component, finished. */
function journal(
  id: string,
  env: string | null,
  uploads: Upload[],
  outcome: 'promoted' | 'rolled_back',
  score = 92,
) {
  const bus = new EventBus({ release: id });
  const detach = attachJournal(bus, dir, id, {});
  bus.emit({ type: 'release.started', worker: 'hello', env, target: 'local', dryRun: false, baseline: null });
  for (const [i, u] of uploads.entries()) {
    bus.emit({
      type: 'version.uploaded',
      version: `${id}-v${i}`,
      hash: u.hash,
      attempt: 1,
      component: u.component,
    });
  }
  bus.emit({
    type: 'release.finished',
    score,
    outcome,
    phases: { gate: 5 },
    durationMs: 1,
    version: null,
    baseline: null,
  });
  detach();
}

const builds = (hash: string) => ({ build: async () => ({ hash }) }) as unknown as Target;

function context(config: ResolvedConfig, overrides: Partial<GateContext> = {}): GateContext {
  return testGateContext(dir, { config, ...overrides });
}

const staged = (input: Parameters<typeof testConfig>[1] = {}) =>
  testConfig(dir, { gates: { promotedIn: 'staging' }, ...input });

async function run(ctx: GateContext): Promise<CheckResult[]> {
  return [await promotionCheck.run(ctx)].flat();
}

describe('promotedBuilds', () => {
  it('lists the hashes promoted releases of one environment uploaded, newest first', () => {
    journal('r-1', 'staging', [{ hash: 'aaa' }], 'promoted', 90);
    journal('r-2', 'staging', [{ hash: 'bbb' }], 'rolled_back');
    journal('r-3', null, [{ hash: 'ccc' }], 'promoted');
    journal(
      'r-4',
      'staging',
      [
        { hash: 'ddd', component: 'api' },
        { hash: 'eee', component: 'web' },
      ],
      'promoted',
    );
    const found = promotedBuilds(dir, 'staging').map((b) => [b.release, b.component, b.hash, b.score]);
    expect(found).toEqual([
      ['r-4', 'api', 'ddd', 92],
      ['r-4', 'web', 'eee', 92],
      ['r-1', undefined, 'aaa', 90],
    ]);
  });
});

describe('promotionCheck', () => {
  it('is in the gate only when promotedIn names another environment', () => {
    const names = (config: ResolvedConfig) => gateChecks(config).map((c) => c.name);
    expect(names(testConfig(dir))).not.toContain('promotion');
    expect(names(staged())).toContain('promotion');
    expect(names({ ...staged(), env: 'staging' })).not.toContain('promotion');
  });

  it('blocks a build staging never promoted, with a hint', async () => {
    journal('r-1', 'staging', [{ hash: 'old' }], 'promoted');
    journal('r-2', 'staging', [{ hash: 'new' }], 'rolled_back');
    const [r] = await run(context(staged(), { target: builds('new') }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('was not promoted in staging');
    expect(r.message).toContain('r-1');
    expect(r.hint).toContain('shipshape deploy --env staging');
    expect(r.hint).toContain('--skip-promotion-check');
    expect(r.evidence).toMatchObject({
      environment: 'staging',
      hash: 'new',
      newest: { release: 'r-1', hash: 'old' },
    });
  });

  it('passes once staging promoted the same build, naming the release and its score', async () => {
    journal('r-1', 'staging', [{ hash: 'new' }], 'promoted', 96);
    const [r] = await run(context(staged(), { target: builds('new') }));
    expect(r.status).toBe('pass');
    expect(r.message).toContain('r-1');
    expect(r.message).toContain('score 96');
    expect(r.evidence).toMatchObject({ environment: 'staging', hash: 'new', release: 'r-1', score: 96 });
  });

  it('matches each component by its own name and hash', async () => {
    journal('r-1', 'staging', [{ hash: 'api1', component: 'api' }], 'promoted');
    const base = staged();
    const api = { ...base, component: { ...base.component, implicit: false, name: 'api' } };
    const web = { ...base, component: { ...base.component, implicit: false, name: 'web' } };
    expect((await run(context(api, { target: builds('api1') })))[0].status).toBe('pass');
    const [r] = await run(context(web, { target: builds('api1') }));
    expect(r.status).toBe('fail');
    expect(r.message).toContain("web's build");
  });

  it('warns with the reason in evidence when overridden', async () => {
    const ctx = context(staged(), { target: builds('new'), skipPromotion: { reason: 'hotfix INC-42' } });
    const [r] = await run(ctx);
    expect(r.status).toBe('warn');
    expect(r.message).toContain('overridden: hotfix INC-42');
    expect(r.evidence.forced).toBe('hotfix INC-42');
  });

  it('outside a release (check) builds nothing and says what staging last promoted', async () => {
    expect((await run(context(staged())))[0].status).toBe('fail');
    journal('r-1', 'staging', [{ hash: 'abc' }], 'promoted', 88);
    const [r] = await run(context(staged()));
    expect(r.status).toBe('skip');
    expect(r.score).toBe(5);
    expect(r.message).toContain('r-1');
  });
});
