import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../events/types.ts';
import { renderHtml } from './html.ts';
import { sampleRelease } from './sample-events.ts';

const scripts = (html: string) => [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const styles = (html: string) => [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('renderHtml', () => {
  it('is one file whose CSP admits only its own hashed scripts and styles and loads nothing', () => {
    const html = renderHtml(sampleRelease('rolled_back'));
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe');
    expect(csp).not.toMatch(/https?:/);
    const inline = scripts(html);
    expect(inline.length).toBe(2);
    expect(inline[0]).toContain('uPlot');
    for (const s of inline) expect(csp).toContain(sha(s));
    for (const s of styles(html)) expect(csp).toContain(sha(s));
    expect(html).not.toMatch(/\s(src|href)=/);
  });

  it('shows the outcome, checks with evidence, migrations, verdicts and the rollback', () => {
    const html = renderHtml(sampleRelease('rolled_back'));
    expect(html).toContain('rolled back · 72/100 FAILED');
    expect(html).toContain(
      '<summary>evidence</summary><pre>{\n  &quot;missing&quot;: [\n    &quot;permissions-policy&quot;',
    );
    expect(html).toContain('<h2>Migrations</h2><p>No migration was applied.</p>');
    expect(html).toContain('<span class="sev critical">critical</span>');
    expect(html).toContain('<li>Result: <strong>done in 850 ms</strong></li>');
  });

  it('inlines the chart data as JSON a reason cannot break out of, and redacts secrets everywhere', () => {
    const events = sampleRelease('rolled_back');
    const verdict = events.find((e) => e.type === 'verdict') as Extract<ShipshapeEvent, { type: 'verdict' }>;
    verdict.reasons = [{ rule: 'absolute', message: '</script><script>alert(1)</script> tok-s3cr3t' }];
    const html = renderHtml(events, { secrets: ['tok-s3cr3t'] });
    expect(html).not.toContain('tok-s3cr3t');
    expect(html).not.toContain('<script>alert(1)');
    const data = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html)?.[1];
    const specs = JSON.parse(data ?? 'null');
    expect(specs.map((s: { id: string }) => s.id)).toEqual(['errors-0', 'latency-0']);
    expect(specs[0].marks[1].label).toBe(
      'rollback (critical): </script><script>alert(1)</script> [redacted]',
    );
  });

  it('says so when no version took traffic', () => {
    const html = renderHtml(sampleRelease('rolled_back').filter((e) => e.type !== 'metrics.sampled'));
    expect(html).toContain('No figures: the judge read no metrics during this release.');
  });
});
