import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseWrangler, reportWrangler, WRANGLER_RANGE } from './wrangler.ts';

const dirs: string[] = [];
function project(wrangler?: { version: string; node?: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-toolchain-'));
  dirs.push(dir);
  if (wrangler) {
    const pkg = join(dir, 'node_modules', 'wrangler');
    mkdirSync(pkg, { recursive: true });
    const engines = wrangler.node ? { node: wrangler.node } : undefined;
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'wrangler', version: wrangler.version, engines }),
    );
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the wrangler a project builds with', () => {
  it("uses the project's own wrangler when it is in range and runs on this Node", () => {
    const dir = project({ version: '4.150.0', node: '>=22.0.0' });
    expect(chooseWrangler(dir).use?.source).toBe('app');
    expect(reportWrangler(dir).status).toBe('pass');
  });

  it('falls back to the one shipshape was installed with, and says why, with the fix', () => {
    const old = reportWrangler(project({ version: '4.86.0' }));
    expect(old.status).toBe('warn');
    expect(old.message).toContain('4.86.0');
    expect(old.message).toContain(WRANGLER_RANGE);
    expect(old.hint).toMatch(/npm i -D wrangler@/);
    const none = reportWrangler(project());
    expect(none.status).toBe('warn');
    expect(none.message).toContain('no wrangler');
  });

  it('names the Node a wrangler needs when it cannot run here', () => {
    const report = reportWrangler(project({ version: '4.170.0', node: '>=99.0.0' }));
    expect(report.message).toContain('needs Node >=99.0.0');
    expect(report.evidence.app).toBe('4.170.0');
  });
});
