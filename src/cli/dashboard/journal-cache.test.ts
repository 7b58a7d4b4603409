import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleRelease } from '../../report/sample-events.ts';
import { JournalCache } from './journal-cache.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): {
  dir: string;
  write(id: string, lines: unknown[]): void;
  append(id: string, line: unknown): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-journal-cache-'));
  made.push(dir);
  const releases = join(dir, '.shipshape', 'releases');
  mkdirSync(releases, { recursive: true });
  const file = (id: string) => join(releases, `${id}.ndjson`);
  return {
    dir,
    write: (id, lines) => writeFileSync(file(id), lines.map((l) => `${JSON.stringify(l)}\n`).join('')),
    append: (id, line) => appendFileSync(file(id), `${JSON.stringify(line)}\n`),
  };
}

describe('JournalCache', () => {
  it('reads a journal again when it grows, forgets a removed one, and keeps the events of the release shown', () => {
    const p = project();
    const events = sampleRelease('promoted');
    const finish = events.findIndex((e) => e.type === 'release.finished');
    p.write('r-20260207-142310', events.slice(0, finish));
    const cache = new JournalCache(p.dir);
    expect(cache.releases('production').map((r) => [r.id, r.outcome])).toEqual([['r-20260207-142310', null]]);
    expect(cache.events('r-20260207-142310')).toHaveLength(finish);

    p.append('r-20260207-142310', events[finish]);
    expect(cache.releases('production').map((r) => r.outcome)).toEqual(['promoted']);
    expect(cache.events('r-20260207-142310')).toHaveLength(finish + 1);
    expect(cache.releases('staging')).toEqual([]);

    rmSync(join(p.dir, '.shipshape', 'releases', 'r-20260207-142310.ndjson'));
    expect(cache.releases('production')).toEqual([]);
  });
});
