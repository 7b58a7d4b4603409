import { describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../events/types.ts';
import { Describer } from './describe.ts';
import { renderMarkdown } from './markdown.ts';

const base = { v: 1 as const, ts: '2026-02-07T14:23:30.000Z', release: 'r-1' };
const events: ShipshapeEvent[] = [
  { ...base, type: 'traffic.changed', component: 'api', split: [{ version: 'a2a2a2a2-x', percent: 10 }] },
  {
    ...base,
    type: 'verdict',
    component: 'api',
    action: 'rollback',
    severity: 'critical',
    reasons: [{ rule: 'errors', message: 'canary error rate 8.00% > 5%' }],
  },
  {
    ...base,
    type: 'release.finished',
    score: 40,
    outcome: 'rolled_back',
    phases: { gate: 5, release: 5 },
    durationMs: 1000,
    version: 'a2a2a2a2-x',
    baseline: 'a1a1a1a1-x',
    components: [
      { name: 'api', version: 'a2a2a2a2-x', baseline: 'a1a1a1a1-x' },
      { name: 'web', version: 'b2b2b2b2-x', baseline: 'b1b1b1b1-x' },
    ],
    decidedBy: 'api',
  },
];

describe('a release of several components', () => {
  it('reads grouped by component, live and in the summary', () => {
    const describer = new Describer();
    const text = events.flatMap((e) => describer.describe(e)).map((l) => l.text);
    expect(text).toContain('[api] traffic: a2a2a2a2 10%');
    expect(text.find((t) => t.startsWith('[api] verdict: rollback'))).toBeDefined();
    expect(text).toContain('Decided by: api (its signal rolled the release back)');
    expect(text).toContain('Component web: b2b2b2b2 (previous b1b1b1b1)');
  });

  it('names the deciding component and each component in the Markdown report', () => {
    const md = renderMarkdown(events);
    expect(md).toContain('| Decided by | **api**: its signal rolled the release back |');
    expect(md).toContain('| Component web | `b2b2b2b2` (previous `b1b1b1b1`) |');
    expect(md).toContain('api: `a2a2a2a2` 10%');
    expect(md).toContain('| rollback | critical | api: canary error rate 8.00% > 5% |');
  });
});
