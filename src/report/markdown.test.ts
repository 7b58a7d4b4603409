import { describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../events/types.ts';
import { renderMarkdown } from './markdown.ts';
import { sampleRelease } from './sample-events.ts';

describe('renderMarkdown', () => {
  it('titles the release with its outcome, score and band', () => {
    const md = renderMarkdown(sampleRelease('promoted'));
    expect(md.split('\n')[0]).toBe('# Release `r-20260207-142310`: promoted · 88/100 PASS');
    expect(md).toContain('| Baseline | `def45678` |');
    expect(md).toContain('| Rollout plan | 10% → 50% → 100% → monitor 15m |');
    expect(md).toContain('| 3 | Health checks (pinned version) | ! warn | 4/5 | 1.5s | 0 |');
    expect(md).toContain('| 4 | End-to-end | - skip | 4/5 | - | 0 |');
  });

  it('lists every check with hints for the ones that did not pass', () => {
    const md = renderMarkdown(sampleRelease('promoted'));
    expect(md).toContain('### 2. Build & upload');
    expect(md).toContain('| ✓ | upload | uploaded abc12345 with 0% traffic | 2 | 31.5s |');
    expect(md).toContain(
      '| ! | security-headers | missing permissions-policy (hint: Add the header in the worker response.) | 1 | 9 ms |',
    );
  });

  it('shows traffic steps, folded verdicts, the rollback and errors', () => {
    const md = renderMarkdown(sampleRelease('rolled_back'));
    expect(md).toContain('| 2026-02-07 14:23:27 | `abc12345` 10% / `def45678` 90% |');
    expect(md).toContain('| 2026-02-07 14:23:32 | `def45678` 100% |');
    expect(md).toContain('Worst severity: **critical**');
    expect(md).toContain('| 2026-02-07 14:23:30 | rollback | critical | canary error rate 8.00% > 5% | 1 |');
    expect(md).toContain('## Rollback');
    expect(md).toContain('- Result: done in 850 ms');
    expect(md).toContain('- `ROLLOUT_ROLLED_BACK`: the canary was rolled back');
    expect(md).toContain('| canary | `abc12345` | 0% | 20.0 rps | 8.00% | 45 ms | 8.00% | 45 ms |');
  });

  it('folds repeated verdicts, escapes table cells and redacts secrets', () => {
    const events = sampleRelease('promoted');
    const verdict = events.find((e) => e.type === 'verdict') as ShipshapeEvent;
    const copy = (message: string) =>
      ({ ...verdict, reasons: [{ rule: 'absolute', message }] }) as ShipshapeEvent;
    const at = events.indexOf(verdict);
    events.splice(at + 1, 0, copy('a | b'), copy('token s3cr3t-value here'));
    const md = renderMarkdown(events, { secrets: ['s3cr3t-value'] });
    expect(md).toContain('| continue | low | canary error rate 0.00% < 1% | 3 |');
    expect(md).not.toContain('s3cr3t-value');
    const withPipe = renderMarkdown([
      { ...verdict, reasons: [{ rule: 'x', message: 'a | b' }] } as ShipshapeEvent,
    ]);
    expect(withPipe).toContain('a \\| b');
  });
});
