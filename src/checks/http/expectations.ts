import { formatDuration } from '../../config/duration.ts';
import type { ResolvedConfig } from '../../config/resolved.ts';
import { firstDifference } from './json-subset.ts';
import { type ProbeResponse, reportedVersion } from './probe.ts';

export type HttpCheckSpec = Omit<ResolvedConfig['health']['checks'][number], 'critical'> & {
  critical?: boolean;
};

/** One unmet expectation. `pinIgnored` marks a response from another version than the pinned one. */
export interface Problem {
  kind: 'status' | 'json' | 'body' | 'headers' | 'latency' | 'version';
  message: string;
}

/**
 * Everything `response` gets wrong against `spec` (empty: it passes). Pure.
 * A response that names another version than `version` means the pin was ignored: every other finding
 * would be about the wrong build.
 */
export function responseProblems(response: ProbeResponse, spec: HttpCheckSpec, version: string): Problem[] {
  const problems: Problem[] = versionProblems(response, version);
  if (response.status !== spec.status) {
    problems.push({ kind: 'status', message: `status ${response.status}, expected ${spec.status}` });
  }
  if (spec.json) {
    if (response.json === undefined) {
      problems.push({ kind: 'json', message: 'body is not JSON' });
    } else {
      const diff = firstDifference(spec.json, response.json);
      if (diff) {
        const actual = diff.actual === undefined ? 'missing' : JSON.stringify(diff.actual);
        problems.push({
          kind: 'json',
          message: `${diff.path} is ${actual}, expected ${JSON.stringify(diff.expected)}`,
        });
      }
    }
  }
  if (spec.body !== undefined && !response.text.includes(spec.body)) {
    problems.push({ kind: 'body', message: `body does not contain ${JSON.stringify(spec.body)}` });
  }
  const missing = missingHeaders(response, spec.headers);
  if (missing.length > 0)
    problems.push({
      kind: 'headers',
      message: `missing header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    });
  if (response.latencyMs > spec.maxLatency) {
    problems.push({
      kind: 'latency',
      message: `took ${formatDuration(response.latencyMs)}, over the ${formatDuration(spec.maxLatency)} limit`,
    });
  }
  return problems;
}

/** A response naming another version than the pinned one (`x-version-id` or a JSON `version`). */
export function versionProblems(response: ProbeResponse, version: string): Problem[] {
  const answered = reportedVersion(response);
  if (answered === null || answered === version) return [];
  return [
    {
      kind: 'version',
      message: `answered by version ${answered}, not the pinned ${version}: the pin was ignored`,
    },
  ];
}

/** Header names (case-insensitive) absent from the response. */
export function missingHeaders(response: ProbeResponse, names: string[]): string[] {
  return names.filter((name) => !response.headers.has(name)).map((n) => n.toLowerCase());
}

/** What the journal keeps of a response: status, headers, latency and the start of the body. */
export function responseEvidence(response: ProbeResponse): Record<string, unknown> {
  return {
    status: response.status,
    latencyMs: response.latencyMs,
    versionReported: reportedVersion(response),
    headers: Object.fromEntries(response.headers),
    body: response.text.length > 500 ? `${response.text.slice(0, 500)}…` : response.text,
  };
}
