import type { Split } from '../target.ts';

/** A split ready for routing: entries ordered newest version first, so key buckets stay put as it grows. */
export interface RoutingTable {
  worker: string;
  /** Newest first; percents sum to 100. */
  entries: Split[];
}

/**
 * Picks the version for one request, as Cloudflare does: a valid override naming a version in the
 * deployment wins (0% included); else a version key hashes to a stable bucket; else a random draw.
 * Keys hash to [0, 10000): the newest version owns the low buckets, so keys already on it stay as it grows.
 */
export function pickVersion(
  table: RoutingTable,
  headers: { overrides?: string | null; key?: string | null },
  random: () => number = Math.random,
): string | null {
  if (table.entries.length === 0) return null;
  if (headers.overrides) {
    const pinned = parseOverrides(headers.overrides)?.get(table.worker);
    if (pinned && table.entries.some((e) => e.version === pinned)) return pinned;
  }
  const point = headers.key ? fnv1a(headers.key) % 10000 : Math.floor(random() * 10000);
  let upper = 0;
  for (const entry of table.entries) {
    upper += entry.percent * 100;
    if (point < upper) return entry.version;
  }
  // A pinned-only deployment (one version at 0%) serves nobody who does not pin it.
  return upper > 0 ? table.entries[table.entries.length - 1].version : null;
}

/**
 * Parses an RFC 8941 dictionary whose members are strings (`worker="uuid", other="uuid"`). Anything
 * malformed gives null: the caller then routes by percentage, as Cloudflare silently does.
 */
export function parseOverrides(header: string): Map<string, string> | null {
  const out = new Map<string, string>();
  const member = /^\s*([a-z*][a-z0-9_.*-]*)\s*=\s*"((?:[^"\\]|\\["\\])*)"\s*(;[^,]*)?$/;
  for (const part of splitTopLevel(header)) {
    const m = member.exec(part);
    if (!m) return null;
    out.set(m[1], m[2].replace(/\\(["\\])/g, '$1'));
  }
  return out.size > 0 ? out : null;
}

function splitTopLevel(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const ch = header[i];
    if (ch === '\\' && quoted) {
      current += ch + (header[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** 32-bit FNV-1a: fast, stable across runs and processes. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Checks a requested split: one or two entries, integer percents 0-100 summing to 100 (or one entry at 0%:
 * pinned-only), distinct versions, every version known. Returns the problem in words, or null.
 */
export function splitProblem(split: unknown, known: (id: string) => boolean): string | null {
  if (!Array.isArray(split)) return 'split must be an array of {version, percent}';
  if (split.length < 1 || split.length > 2)
    return `a deployment has one or two versions, got ${split.length}`;
  let sum = 0;
  const seen = new Set<string>();
  for (const entry of split as Array<Record<string, unknown>>) {
    if (!entry || typeof entry !== 'object') return 'each split entry must be {version, percent}';
    const { version, percent } = entry;
    if (typeof version !== 'string' || version === '') return 'each split entry needs a version id';
    if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 0 || percent > 100) {
      return `percent for ${version} must be an integer from 0 to 100, got ${JSON.stringify(percent)}`;
    }
    if (seen.has(version)) return `version ${version} appears twice`;
    if (!known(version)) return `unknown version ${version}`;
    seen.add(version);
    sum += percent;
  }
  // One version at 0% is a pinned-only deployment: a first release answering pinned checks before anyone else.
  if (sum === 0 && split.length === 1) return null;
  if (sum !== 100) return `percentages must sum to 100, got ${sum}`;
  return null;
}
