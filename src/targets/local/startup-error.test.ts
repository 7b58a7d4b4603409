import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStartupError } from './startup-error.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-startup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const id = '31f51981-522c-4936-8d43-cf587c385829';

describe('describeStartupError', () => {
  it('reads workerd JSON log records and maps the bundle position through the source map', () => {
    // ";;MACA": line 3, column 7 of index.js comes from line 2, column 1 of /work/app/src/boot.js.
    writeFileSync(
      join(dir, 'index.js.map'),
      JSON.stringify({ version: 3, sources: ['/work/app/src/boot.js'], names: [], mappings: ';;MACA' }),
    );
    const record = JSON.stringify({
      level: 'error',
      message: `service core:user:v-${id}: Uncaught Error: boot failed\n  at index.js:3:7`,
    });
    const text = describeStartupError(`noise\n${record}\n`, {
      projectDir: '/work/app',
      bundleDir: () => dir,
    });
    expect(text).toBe('Uncaught Error: boot failed (bundle index.js:3:7; source src/boot.js:2:1)');
  });

  it('plain lines without a source map give the bundle position only', () => {
    const out = `service core:user:v-${id}: Uncaught TypeError: x is not a function\n    at fn (chunks/a.js:10:2)\n`;
    expect(describeStartupError(out, { projectDir: '/p', bundleDir: () => dir })).toBe(
      'Uncaught TypeError: x is not a function (bundle chunks/a.js:10:2)',
    );
  });

  it('null when nothing was thrown', () => {
    expect(describeStartupError('all good', { projectDir: '/p', bundleDir: () => null })).toBeNull();
  });
});
