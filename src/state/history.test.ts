import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../events/bus.ts';
import { lastPromotedVersion, listReleases } from './history.ts';
import { attachJournal, readJournal } from './journal.ts';
import { journalPath } from './paths.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function release(id: string, version: string, outcome: 'promoted' | 'rolled_back' | null): void {
  const bus = new EventBus({ release: id });
  const detach = attachJournal(bus, dir, id, {});
  bus.emit({
    type: 'release.started',
    worker: 'app',
    env: null,
    target: 'local',
    dryRun: false,
    baseline: null,
  });
  bus.emit({ type: 'version.uploaded', version, hash: 'h', attempt: 1 });
  bus.emit({ type: 'traffic.changed', split: [{ version, percent: 100 }] });
  if (outcome)
    bus.emit({
      type: 'release.finished',
      score: 90,
      outcome,
      phases: { gate: 5 },
      durationMs: 10,
      version,
      baseline: null,
    });
  detach();
}

describe('history', () => {
  it('reads releases back from their journals and finds the last promoted version', () => {
    release('r-1', 'v1', 'promoted');
    release('r-2', 'v2', 'promoted');
    release('r-3', 'v3', 'rolled_back');
    release('r-4', 'v4', null);
    const releases = listReleases(dir);
    expect(releases.map((r) => [r.id, r.outcome])).toEqual([
      ['r-1', 'promoted'],
      ['r-2', 'promoted'],
      ['r-3', 'rolled_back'],
      ['r-4', null],
    ]);
    expect(releases[3].touchedTraffic).toBe(true);
    expect(lastPromotedVersion(releases)).toBe('v2');
    expect(lastPromotedVersion(releases, 'v2')).toBe('v1');
  });

  it("counts an operator's finished rollback as the choice of last good version", () => {
    release('r-1', 'v1', 'promoted');
    release('r-2', 'v2', 'promoted');
    const bus = new EventBus({ release: 'r-3' });
    const detach = attachJournal(bus, dir, 'r-3', {});
    bus.emit({
      type: 'release.started',
      worker: 'app',
      env: null,
      target: 'local',
      dryRun: false,
      baseline: 'v2',
    });
    bus.emit({ type: 'rollback.finished', ok: true, to: 'v1', durationMs: 5 });
    bus.emit({
      type: 'release.finished',
      score: 0,
      outcome: 'rolled_back',
      phases: {},
      durationMs: 5,
      version: null,
      baseline: 'v2',
      scored: false,
    });
    detach();
    // A release that dies now is restored to v1, not to v2 which the operator rolled back from.
    expect(lastPromotedVersion(listReleases(dir))).toBe('v1');
    expect(lastPromotedVersion(listReleases(dir), 'v1')).toBe('v2');
  });

  it('skips a torn last line (a crash mid-write) and keeps everything before it', () => {
    release('r-1', 'v1', null);
    appendFileSync(journalPath(dir, 'r-1'), '{"v":1,"type":"release.fin');
    expect(readJournal(dir, 'r-1').map((e) => e.type)).toEqual([
      'release.started',
      'version.uploaded',
      'traffic.changed',
    ]);
  });

  it('never writes secrets to the journal', () => {
    const bus = new EventBus({ release: 'r-s' });
    const detach = attachJournal(bus, dir, 'r-s', { DB_PASSWORD: 'hunter2-very-secret' });
    bus.emit({ type: 'log', level: 'info', message: 'connecting with hunter2-very-secret' });
    detach();
    expect(JSON.stringify(readJournal(dir, 'r-s'))).not.toContain('hunter2-very-secret');
  });
});

describe('release order', () => {
  it('follows when releases started, not the random part of ids made in the same second', async () => {
    release('r-20260301-120000-ffff', 'v1', 'promoted');
    await new Promise((r) => setTimeout(r, 5));
    release('r-20260301-120000-0000', 'v2', 'promoted');
    expect(listReleases(dir).map((r) => r.canary)).toEqual(['v1', 'v2']);
    expect(lastPromotedVersion(listReleases(dir))).toBe('v2');
  });
});
