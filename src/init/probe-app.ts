import type { Target } from '../targets/target.ts';

/** Security headers worth requiring when the app already sends them. */
export const SECURITY_HEADERS = ['x-content-type-options', 'x-frame-options'];

/** What one path answered, pinned to the probed version. */
export interface PathAnswer {
  path: string;
  status: number | null;
  /** A JSON object body, if the response was one. */
  json: Record<string, unknown> | null;
  contentType: string | null;
  securityHeaders: string[];
  latencyMs: number;
  error: string | null;
}

/**
 * Asks each path once (GET, pinned, redirects followed, 10 s limit); a path that fails to answer is recorded,
 * not thrown.
 */
export async function probePaths(target: Target, version: string, paths: string[]): Promise<PathAnswer[]> {
  const answers: PathAnswer[] = [];
  for (const path of paths) {
    const started = performance.now();
    try {
      // Redirects are followed, as the health and e2e checks follow them: a 3xx recorded here would be written
      // as a status those checks never see (an asset's /about.html → 307 /about is 200 to them).
      const res = await target.request(path, { version, timeoutMs: 10_000 });
      const text = await res.text();
      const contentType = res.headers.get('content-type');
      answers.push({
        path,
        status: res.status,
        json: jsonObject(contentType, text),
        contentType,
        securityHeaders: SECURITY_HEADERS.filter((h) => res.headers.has(h)),
        latencyMs: Math.round(performance.now() - started),
        error: null,
      });
    } catch (err) {
      answers.push({
        path,
        status: null,
        json: null,
        contentType: null,
        securityHeaders: [],
        latencyMs: Math.round(performance.now() - started),
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return answers;
}

function jsonObject(contentType: string | null, text: string): Record<string, unknown> | null {
  if (!contentType?.includes('json')) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
