import type { Redactor } from '../../redact/redact.ts';
import type { Project } from '../project.ts';
import { followAccount } from './account-follow.ts';
import { type DashboardState, journalState, journalsFingerprint, platformState } from './dashboard-state.ts';
import { JournalCache } from './journal-cache.ts';

/** The state as the page gets it, already redacted and serialised, and who is told when it changes. */
export interface LiveFeed {
  /** The latest state's JSON (redacted). */
  current(): string;
  /** Calls `listener` with each new state's JSON; returns the unsubscribe. */
  subscribe(listener: (json: string) => void): () => void;
  /** Reads everything again now (after an action), without waiting for the next tick. */
  refresh(): Promise<void>;
  stop(): void;
}

export interface FeedOptions {
  project: Project;
  redactor: Redactor;
  header: Pick<DashboardState, 'worker' | 'env' | 'target' | 'actor' | 'components'>;
  now: () => Date;
  /** How often the journals are looked at (default 500 ms): a new line shows within it. */
  journalMs?: number;
  /** How often the platform is asked what serves and the flags (default 3 s): each ask is an API call. */
  platformMs?: number;
}

/**
 * Follows the release journals (tails the running release's: re-read whenever its size changes, a new release
 * appearing included) and polls the platform (with the account's state, also the other runners' journals and
 * lease), pushing a new state to every subscriber when anything changed.
 */
export async function startFeed(options: FeedOptions): Promise<LiveFeed> {
  const { project, redactor, header } = options;
  const listeners = new Set<(json: string) => void>();
  let fingerprint = '';
  const cache = new JournalCache(project.config.projectDir);
  let elsewhere = await followAccount(project, options.now());
  let journals = journalState(project.config, cache, options.now(), elsewhere);
  let platform = await platformState(project);
  let json = '';
  const publish = () => {
    const next = JSON.stringify(redactor.value({ v: 1, ...header, ...journals, ...platform }));
    if (next === json) return;
    json = next;
    for (const listener of listeners) listener(json);
  };
  const readJournals = () => {
    const seen = journalsFingerprint(project.config);
    if (seen === fingerprint) return;
    fingerprint = seen;
    journals = journalState(project.config, cache, options.now(), elsewhere);
    publish();
  };
  let asking = false;
  const askPlatform = async () => {
    // One ask at a time: a slow API must not pile up requests.
    if (asking) return;
    asking = true;
    try {
      const running = await followAccount(project, options.now());
      if (running !== elsewhere) {
        elsewhere = running;
        fingerprint = '';
      }
      readJournals();
      platform = await platformState(project);
      publish();
    } finally {
      asking = false;
    }
  };
  readJournals();
  publish();
  const journalTimer = setInterval(readJournals, options.journalMs ?? 500);
  const platformTimer = setInterval(() => void askPlatform(), options.platformMs ?? 3000);
  return {
    current: () => json,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async refresh() {
      fingerprint = '';
      readJournals();
      await askPlatform();
    },
    stop() {
      clearInterval(journalTimer);
      clearInterval(platformTimer);
      listeners.clear();
    },
  };
}
