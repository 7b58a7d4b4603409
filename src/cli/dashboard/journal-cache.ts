import { statSync } from 'node:fs';
import type { ShipshapeEvent } from '../../events/types.ts';
import { type ReleaseRecord, releaseRecord } from '../../state/history.ts';
import { listReleaseIds, readJournal } from '../../state/journal.ts';
import { journalPath } from '../../state/paths.ts';

interface Entry {
  size: number;
  record: ReleaseRecord;
}

/**
 * The project's journals, each read again only when its size changed: the dashboard looks twice a second while a
 * release writes one journal, and a project keeps hundreds of finished ones. Only the facts of each are kept, and
 * the events of the one release shown.
 */
export class JournalCache {
  private readonly entries = new Map<string, Entry>();
  private shown: { id: string; size: number; events: ShipshapeEvent[] } | null = null;

  constructor(private readonly projectDir: string) {}

  /** Every release, oldest first by its first event's time (as `listReleases`), in `env`. */
  releases(env: string | null): ReleaseRecord[] {
    const ids = listReleaseIds(this.projectDir);
    for (const id of this.entries.keys()) if (!ids.includes(id)) this.entries.delete(id);
    return ids
      .map((id) => this.entry(id).record)
      .filter((r) => r.env === env)
      .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  }

  events(id: string): ShipshapeEvent[] {
    const { size } = this.entry(id);
    if (this.shown?.id !== id || this.shown.size !== size)
      this.shown = { id, size, events: readJournal(this.projectDir, id) };
    return this.shown.events;
  }

  private entry(id: string): Entry {
    let size = -1;
    try {
      size = statSync(journalPath(this.projectDir, id)).size;
    } catch {
      // Removed meanwhile: read as empty.
    }
    const known = this.entries.get(id);
    if (known && known.size === size) return known;
    const entry = { size, record: releaseRecord(id, readJournal(this.projectDir, id)) };
    this.entries.set(id, entry);
    return entry;
  }
}
