import ms from 'ms';
import { z } from 'zod';

/** Parses "30s", "15m", "500ms", "1h" with the `ms` library; null for anything else (bare numbers included). */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string' || !/^\s*\d+(\.\d+)?\s*[a-z]+\s*$/i.test(text)) return null;
  const value = ms(text as ms.StringValue);
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Formats milliseconds for people: 1500 → "1.5s", 90000 → "1m 30s". */
export function formatDuration(msValue: number): string {
  if (msValue < 1000) return `${Math.round(msValue)}ms`;
  if (msValue < 60_000) return `${Number((msValue / 1000).toFixed(1))}s`;
  const minutes = Math.floor(msValue / 60_000);
  const seconds = Math.round((msValue % 60_000) / 1000);
  return seconds ? `${minutes}m ${seconds}s` : `${minutes}m`;
}

/** A duration written as a string in config, resolved to milliseconds. */
export const duration = z
  .string({ error: 'expected a duration string such as "30s", "15m" or "500ms"' })
  .refine((s) => parseDuration(s) !== null, { error: 'expected a duration such as "30s", "15m" or "500ms"' })
  .transform((s) => parseDuration(s) as number);
