/** The parts of semver shipshape needs: compare release versions and check a `>=A <B` style range. */

export type Triple = [number, number, number];

/** "4.164.0", "v24.1.2", "5.20261117.0-beta" → [major, minor, patch]; null when it is not a version. */
export function parseVersion(text: string): Triple | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

export function compareVersions(a: Triple, b: Triple): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * True when `version` meets every comparator of `range` (space-separated `>=x.y.z`, `>x`, `<x`, `<=x`, `=x`;
 * a bare `>=22` means `>=22.0.0`). Enough for `engines` fields and shipshape's own peer range.
 */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  for (const part of range.trim().split(/\s+/)) {
    const m = /^(>=|<=|>|<|=)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(part);
    if (!m) return false;
    const bound: Triple = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
    const c = compareVersions(v, bound);
    const ok = { '>=': c >= 0, '<=': c <= 0, '>': c > 0, '<': c < 0, '=': c === 0 }[m[1] ?? '='];
    if (!ok) return false;
  }
  return true;
}
