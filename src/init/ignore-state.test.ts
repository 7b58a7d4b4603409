import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ignoreState } from './ignore-state.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-ignore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('ignoreState', () => {
  it('creates .gitignore with .shipshape/ when the project has none', () => {
    expect(ignoreState(dir)).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('.shipshape/\n');
  });

  it("appends to the project's own lines, on a line of its own, once", () => {
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n.wrangler');
    expect(ignoreState(dir)).toBe(true);
    expect(ignoreState(dir)).toBe(false);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.wrangler\n.shipshape/\n');
  });

  it('leaves a .gitignore that already ignores it as it is', () => {
    writeFileSync(join(dir, '.gitignore'), 'dist\n/.shipshape\n');
    expect(ignoreState(dir)).toBe(false);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('dist\n/.shipshape\n');
  });
});
