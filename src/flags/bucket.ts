import { murmur3_x86_32 } from './murmur3.ts';

/**
 * The unit's bucket for a flag, 1-100, as Unleash computes it: `murmur3_x86_32("<flag>:<unit>", 0) % 100 + 1`.
 * The same unit always lands in the same bucket, so raising a percentage only ever adds units.
 * @example rolloutBucket('gr1', '123') // 73
 */
export function rolloutBucket(flag: string, unit: string): number {
  return (murmur3_x86_32(`${flag}:${unit}`, 0) % 100) + 1;
}

/**
 * Whether `unit` is inside a `percent` rollout of `flag`. A missing unit id is inside only at 100%, so
 * anonymous traffic never flickers between variants.
 */
export function inRollout(flag: string, unit: string | null | undefined, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0 || !unit) return false;
  return rolloutBucket(flag, unit) <= percent;
}
