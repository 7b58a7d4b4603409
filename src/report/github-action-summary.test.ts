import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShipshapeEvent } from '../events/types.ts';
import { captureIO } from './capture-io.ts';
import { summarizeAction } from './github-action-line.ts';
import { stepSummary } from './github-step-summary.ts';
import { sampleRelease } from './sample-events.ts';

const SECRET = 'sk-live"abc\\123';
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-gh-action-'));
  file = join(dir, 'step-summary.md');
  writeFileSync(file, '');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the job summary's verdict, cause and actions", () => {
  it('a rolled-back release: its outcome, the rollback with its cause, and who aborted it and why', () => {
    const events = sampleRelease('rolled_back');
    const release = events[0].release;
    const abort = {
      v: 1,
      ts: '2026-02-07T14:24:00.000Z',
      release,
      type: 'action',
      action: 'abort',
      actor: 'Ada <ada@example.com>',
      reason: `checkout broken, token ${SECRET}`,
    } as ShipshapeEvent;
    const summary = stepSummary([...events.slice(0, -1), abort, ...events.slice(-1)], {
      env: {},
      secrets: [SECRET],
    });
    expect(summary).toContain('rolled back · 72/100 FAILED');
    const rollback = summary.slice(summary.indexOf('## Rollback'));
    expect(rollback).toMatch(/^## Rollback\n\n- Reason: \S/);
    expect(summary).toContain(
      '## Actions\n\n- 2026-02-07 14:24:00 UTC: Ada <ada@example.com> aborted: checkout broken, token [redacted]',
    );
    expect(summary).not.toContain('sk-live');
  });

  it('a manual action run in a CI job appends one line with who and why, redacted', () => {
    const io = captureIO({ env: { GITHUB_STEP_SUMMARY: file } });
    summarizeAction(
      io,
      {
        action: 'emergency.stop',
        actor: 'ci-bot',
        reason: `pager ${SECRET}`,
        release: null,
        detail: { changes: 'EMERGENCY_STOP: (default) → true' },
      },
      [SECRET],
    );
    summarizeAction(io, { action: 'promote', actor: 'Ada', reason: null, release: 'r-1' }, [], {
      requested: true,
    });
    expect(readFileSync(file, 'utf8')).toBe(
      '- 👤 ci-bot pulled the emergency stop (changes EMERGENCY_STOP: (default) → true): pager [redacted]\n' +
        '- 👤 Ada asked to promote release r-1 (no reason given)\n',
    );
  });

  it('writes nothing outside a CI job', () => {
    const io = captureIO({ env: {} });
    summarizeAction(io, { action: 'abort', actor: 'Ada', reason: 'x', release: 'r-1' });
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
