import { jsonDiff, pathMask } from './json-diff.ts';
import type { ProbeResponse } from './probe.ts';

/** Where two answers to the same request disagree. */
export interface AnswerDifference {
  part: 'status' | 'header' | 'body';
  /** The JSON path for a JSON body, else null (a header, the status, a text body). */
  jsonPath: string | null;
  /** The header's name for `part: 'header'`. */
  header?: string;
  baseline: unknown;
  canary: unknown;
}

/** The answers' parts one comparison reads. */
export type Answer = Pick<ProbeResponse, 'status' | 'headers' | 'text' | 'json'>;

/**
 * Every difference between two answers: the status, the named headers (absent is null), and the body
 * (structurally when both are JSON, else as text). Used for the baseline against itself (the noise) and for
 * the baseline against the canary. Pure.
 * @example answerDifferences(a, b, ['cache-control'])
 */
export function answerDifferences(a: Answer, b: Answer, headers: readonly string[]): AnswerDifference[] {
  const found: AnswerDifference[] = [];
  if (a.status !== b.status)
    found.push({ part: 'status', jsonPath: null, baseline: a.status, canary: b.status });
  for (const name of headers) {
    const [x, y] = [a.headers.get(name), b.headers.get(name)];
    if (x !== y)
      found.push({ part: 'header', jsonPath: null, header: name.toLowerCase(), baseline: x, canary: y });
  }
  if (a.json !== undefined && b.json !== undefined) {
    for (const change of jsonDiff(a.json, b.json))
      found.push({ part: 'body', jsonPath: change.path, ...change });
  } else if (a.text !== b.text) {
    found.push({ part: 'body', jsonPath: null, baseline: a.text, canary: b.text });
  }
  return found;
}

/** `status`, `header x-name`, a JSON path or `body`: what a difference is about, the same across samples. */
export function differenceKey(d: AnswerDifference): string {
  if (d.part === 'header') return `header ${d.header}`;
  return d.jsonPath ?? d.part;
}

/**
 * The differences between the baseline and the canary that are neither noise (keys that differed between
 * the baseline's own answers, with the JSON paths below them) nor ignored (`analysis.compare.ignore`).
 * One per key, the first seen. Pure.
 * @example beyondNoise(canaryDiffs, baselineDiffs, ['$.timestamp'])
 */
export function beyondNoise(
  differences: AnswerDifference[],
  noise: AnswerDifference[],
  ignore: readonly string[],
): AnswerDifference[] {
  const noisy = new Set(noise.map(differenceKey));
  const mask = pathMask([...noise.flatMap((d) => (d.jsonPath ? [d.jsonPath] : [])), ...ignore]);
  const kept = new Map<string, AnswerDifference>();
  for (const d of differences) {
    const key = differenceKey(d);
    if (noisy.has(key) || (d.jsonPath && mask.covers(d.jsonPath)) || kept.has(key)) continue;
    kept.set(key, d);
  }
  return [...kept.values()];
}

/**
 * A difference that only names each side's own version (a `version` field, an `x-version-id` header): every
 * new version differs there, so it is never a finding. Pure.
 * @example namesItsVersion({ baseline: 'v1', canary: 'v2', … }, 'v1', 'v2') // true
 */
export function namesItsVersion(d: AnswerDifference, baseline: string, canary: string): boolean {
  return (
    typeof d.baseline === 'string' &&
    typeof d.canary === 'string' &&
    d.baseline.includes(baseline) &&
    d.canary.includes(canary) &&
    d.baseline.replaceAll(baseline, '') === d.canary.replaceAll(canary, '')
  );
}
