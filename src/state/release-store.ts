import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.ts';
import type { ActionRequest } from './control.ts';
import { listReleaseIds } from './journal.ts';
import { journalPath, releasesDir } from './paths.ts';

/** How many lines of one release a store holds, and what the release was of. */
export interface StoredRelease {
  release: string;
  lines: number;
}

/**
 * Journals kept with the platform account rather than on the machine that deployed (a CI runner starts empty):
 * the same NDJSON lines, already redacted, numbered from 0 per release. Writes are idempotent per (release, line),
 * so sending a line twice after a retry stores it once.
 */
export interface ReleaseStore {
  /** Where the state lives, for messages: `D1 database "shipshape-state"`. */
  readonly where: string;
  /** The newest releases of `worker` (any environment), newest first. */
  releases(worker: string, limit: number): Promise<StoredRelease[]>;
  /** Lines `from` onwards of one release's journal. */
  lines(release: string, from: number): Promise<string[]>;
  /** A person's promote/abort for a release running on another runner (it polls `takeRequest`). */
  sendRequest(release: string, request: ActionRequest): Promise<void>;
  /** Takes the release's pending request, once (the next poll finds none). */
  takeRequest(release: string): Promise<ActionRequest | null>;
  /** Stores lines `from` .. `from + lines.length - 1` of a release's journal. */
  append(
    release: string,
    meta: { worker: string; env: string | null },
    from: number,
    lines: string[],
  ): Promise<void>;
}

/** How many releases a fresh clone brings back: enough for history, "last promoted" and the promotion gate. */
export const PULL_LIMIT = 200;

/** Complete lines of a local journal (a torn last line, still being written, is not one). */
function localLines(projectDir: string, release: string): string[] {
  const path = journalPath(projectDir, release);
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const end = text.lastIndexOf('\n');
  return end < 0 ? [] : text.slice(0, end).split('\n');
}

/**
 * Brings the store's journals of `worker` into `.shipshape/releases/`, appending what this machine lacks, so that
 * every command reading history (status, history, report, rollback, the gates) sees what other runners did.
 * @returns the store's view, for the mirror that sends this machine's own lines back.
 */
export async function pullJournals(
  store: ReleaseStore,
  projectDir: string,
  worker: string,
): Promise<Map<string, number>> {
  const known = new Map<string, number>();
  mkdirSync(releasesDir(projectDir), { recursive: true, mode: 0o700 });
  for (const { release, lines } of await store.releases(worker, PULL_LIMIT)) {
    known.set(release, lines);
    const have = localLines(projectDir, release);
    if (have.length >= lines) continue;
    const missing = await store.lines(release, have.length);
    // The whole file at once: two commands pulling together write the same content, never a line twice.
    if (missing.length > 0)
      writeFileAtomic(journalPath(projectDir, release), `${[...have, ...missing].join('\n')}\n`);
  }
  return known;
}

export interface JournalMirror {
  /** Sends every local line the store does not have yet. */
  flush(): Promise<void>;
  /** Stops the periodic sending and flushes once more. */
  stop(): Promise<void>;
}

/**
 * Sends this machine's journal lines to the store as they are written (every `intervalMs`, and at `stop`), so a
 * release running here is visible to `status` on another runner while it runs, and complete after it. A failed
 * send is retried at the next flush: the local journal stays the source.
 */
export function mirrorJournals(
  store: ReleaseStore,
  projectDir: string,
  meta: { worker: string; env: string | null },
  known: Map<string, number>,
  options: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): JournalMirror {
  const sizes = new Map<string, number>();
  let running: Promise<void> = Promise.resolve();
  const sendChanged = async () => {
    for (const release of listReleaseIds(projectDir)) {
      const size = statSync(journalPath(projectDir, release)).size;
      if (sizes.get(release) === size) continue;
      const lines = localLines(projectDir, release);
      const sent = known.get(release) ?? 0;
      if (lines.length > sent) {
        await store.append(release, meta, sent, lines.slice(sent));
        known.set(release, lines.length);
      }
      sizes.set(release, size);
    }
  };
  // Only one send at a time: a slow API must not let two flushes send the same lines.
  const flush = () => {
    running = running.then(sendChanged).catch((err) => options.onError?.(err));
    return running;
  };
  // The first pass only learns the sizes of what the pull already matched; lines written later are sent.
  const timer = setInterval(() => void flush(), options.intervalMs ?? 5_000);
  timer.unref();
  return {
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
