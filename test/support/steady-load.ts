/** Counts from a steady load: every non-200 or network error is a failure, with what it was. */
export interface LoadResult {
  ok: number;
  failures: string[];
  /** x-version-id values seen in answers. */
  versions: Set<string>;
}

/**
 * Sends requests back to back from `clients` loops to 127.0.0.1 until `stop()` is called: the zero-downtime
 * tests run their uploads, switches and restores while it runs.
 */
export function steadyLoad(base: string, clients: number, paths = ['/health', '/api/items', '/']) {
  let running = true;
  const result: LoadResult = { ok: 0, failures: [], versions: new Set() };
  const loop = async (n: number) => {
    for (let i = 0; running; i++) {
      const path = paths[(i + n) % paths.length];
      try {
        const res = await fetch(new URL(path, base));
        const body = await res.text();
        if (res.status !== 200) result.failures.push(`${path} ${res.status} ${body.slice(0, 120)}`);
        else {
          result.ok++;
          result.versions.add(res.headers.get('x-version-id') ?? '?');
        }
      } catch (err) {
        result.failures.push(`${path} ${(err as Error).message}`);
      }
    }
  };
  const loops = Array.from({ length: clients }, (_, n) => loop(n));
  return {
    async stop(): Promise<LoadResult> {
      running = false;
      await Promise.all(loops);
      return result;
    },
  };
}
