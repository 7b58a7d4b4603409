import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { EventBus } from '../events/bus.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import { createRedactor } from '../redact/redact.ts';
import { appendLineSync } from './atomic-write.ts';
import { actionsPath, journalPath, releasesDir } from './paths.ts';

/**
 * Appends every event of a release to `.shipshape/releases/<id>.ndjson` as it happens (fsynced), redacted.
 * `accepts` is asked before each append; false drops the line (a fenced, stale holder).
 * @returns an unsubscribe function
 */
export function attachJournal(
  bus: EventBus,
  projectDir: string,
  releaseId: string,
  env: Record<string, string | undefined>,
  secrets: string[] = [],
  options: { accepts?: () => boolean } = {},
): () => void {
  const path = journalPath(projectDir, releaseId);
  const redactor = createRedactor(env, secrets);
  return bus.subscribe((event) => {
    if (event.release !== releaseId) return;
    // Fencing: a holder whose lease generation is no longer the platform's writes nothing more.
    if (options.accepts && !options.accepts()) return;
    // Values are redacted before serialising: a secret holding `"` or `\` is escaped in the JSON text.
    appendLineSync(path, JSON.stringify(redactor.value(event)));
  });
}

/**
 * Journals the records of `bus`, a bus of actions that concern no release (flag changes, the emergency stop)
 * and their notifications' warnings, in `.shipshape/actions.ndjson`, redacted. An action on a release goes to
 * that release's journal instead.
 * @returns an unsubscribe function
 */
export function attachActionsJournal(
  bus: EventBus,
  projectDir: string,
  env: Record<string, string | undefined>,
  secrets: string[] = [],
): () => void {
  const redactor = createRedactor(env, secrets);
  return bus.subscribe((event) => {
    if (event.release === null)
      appendLineSync(actionsPath(projectDir), JSON.stringify(redactor.value(event)));
  });
}

/** Reads a journal, skipping a torn last line (the one a crash may leave). */
export function readJournal(projectDir: string, releaseId: string): ShipshapeEvent[] {
  return readLines(journalPath(projectDir, releaseId));
}

function readLines(path: string): ShipshapeEvent[] {
  if (!existsSync(path)) return [];
  const events: ShipshapeEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as ShipshapeEvent);
    } catch {
      // A partial line can only be the last one written before a crash; everything before it is intact.
    }
  }
  return events;
}

/** Release ids, oldest first (ids sort by time). */
export function listReleaseIds(projectDir: string): string[] {
  const dir = releasesDir(projectDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .map((f) => f.slice(0, -'.ndjson'.length))
    .sort();
}

/** A release id that sorts by time and says when it started: `r-20261122-084501-3f9a`. */
export function newReleaseId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `r-${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}
