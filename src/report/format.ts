import type { CheckStatus } from '../events/types.ts';
import type { Split } from '../targets/target.ts';

/** Score bands of the total (0-100); `config.score` holds the user's values. */
export interface Bands {
  pass: number;
  warn: number;
}
export const DEFAULT_BANDS: Bands = { pass: 80, warn: 60 };
export type Band = 'PASS' | 'WARNING' | 'FAILED';

/** Version ids are long; people recognise the first 8 characters. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : 'none';
}

/** `2026-02-07T14:23:10.123Z` → `2026-02-07 14:23:10` (UTC, as the event records it). */
export function stamp(ts: string): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) return ts;
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** 850 → "850 ms", 12_300 → "12.3s", 192_000 → "3m 12s", 3_720_000 → "1h 2m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return seconds === 0 ? `${minutes}m` : `${minutes}m ${seconds}s`;
}

/** A countdown clock: 83_400 → "1:24", 3_725_000 → "1:02:05". Rounds up so it never shows 0:00 early. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** An error rate (0-1) as a percentage with two decimals: 0.0123 → "1.23%". */
export function formatRate(rate: number): string {
  return `${(Number.isFinite(rate) ? rate * 100 : 0).toFixed(2)}%`;
}

/** Requests per second, one decimal. */
export function formatRps(rps: number): string {
  return `${(Number.isFinite(rps) ? rps : 0).toFixed(1)} rps`;
}

export function formatMs(ms: number): string {
  return `${Math.round(Number.isFinite(ms) ? ms : 0)} ms`;
}

/** `traffic: abc12345 10% / def45678 90%`-style split text. */
export function splitText(split: Split[]): string {
  if (split.length === 0) return 'no traffic';
  return split.map((s) => `${shortId(s.version)} ${s.percent}%`).join(' / ');
}

/** The plain icon for a check status (no emoji: they render two columns wide in many terminals). */
export const STATUS_ICON: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' };

/** Evidence as one compact line; long values are cut so a single check cannot flood a CI log. */
export function compactJson(value: unknown, max = 2000): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'undefined';
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
