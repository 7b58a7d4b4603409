import type { Split } from '../targets/target.ts';

/**
 * The version users reach: the largest share above 0%. A pinned-only deployment (a first release still being
 * verified, or one that failed verify) serves nobody, so it is no baseline and nothing to return to.
 */
export function servingVersion(split: Split[]): string | null {
  return [...split].filter((s) => s.percent > 0).sort((a, b) => b.percent - a.percent)[0]?.version ?? null;
}

/** True when the deployment answers pinned requests only: unpinned ones get 503 "no version serving yet". */
export function isPinnedOnly(split: Split[]): boolean {
  return split.length > 0 && split.every((s) => s.percent === 0);
}
