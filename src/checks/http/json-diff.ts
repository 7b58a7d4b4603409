/** One place where two JSON values disagree. */
export interface JsonChange {
  /** JSONPath-like location, e.g. `$.items[0].price`. */
  path: string;
  /** `undefined` when the key or item is missing on that side. */
  baseline: unknown;
  canary: unknown;
}

/**
 * Every difference between two JSON values, compared structurally: object keys (either side's), array items
 * index by index, then values. A change of type is one difference at that path, not one per child. Pure.
 * @example jsonDiff({ a: 1, b: [1, 2] }, { a: 1, b: [1, 3] }) // [{ path: '$.b[1]', baseline: 2, canary: 3 }]
 */
export function jsonDiff(baseline: unknown, canary: unknown, path = '$'): JsonChange[] {
  if (Array.isArray(baseline) && Array.isArray(canary)) {
    const length = Math.max(baseline.length, canary.length);
    return Array.from({ length }, (_, i) => jsonDiff(baseline[i], canary[i], `${path}[${i}]`)).flat();
  }
  if (isObject(baseline) && isObject(canary)) {
    const keys = [...new Set([...Object.keys(baseline), ...Object.keys(canary)])];
    return keys.flatMap((key) => jsonDiff(baseline[key], canary[key], `${path}${keyPath(key)}`));
  }
  return Object.is(baseline, canary) ? [] : [{ path, baseline, canary }];
}

/**
 * A set of JSON paths with their subtrees: the noise learned from the baseline and the configured
 * `analysis.compare.ignore` patterns, where `[*]` stands for any array index or object key.
 * @example pathMask(['$.items[*].id']).covers('$.items[3].id.hex') // true
 */
export function pathMask(patterns: Iterable<string>) {
  const exact = new Set<string>();
  const wild: RegExp[] = [];
  for (const pattern of patterns) {
    if (pattern.includes('[*]') || pattern.includes('.*')) wild.push(wildcard(pattern));
    else exact.add(pattern);
  }
  return {
    /** True when `path` is one of the patterns or lies below one. */
    covers(path: string): boolean {
      for (const prefix of prefixes(path)) {
        if (exact.has(prefix) || wild.some((re) => re.test(prefix))) return true;
      }
      return false;
    },
  };
}

/** `$.a.b[0]` → `$`, `$.a`, `$.a.b`, `$.a.b[0]` (a quoted key may hold dots: split on the path's own steps). */
function prefixes(path: string): string[] {
  const steps = path.match(/^\$|\.[A-Za-z_$][\w$]*|\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g) ?? [path];
  return steps.map((_, i) => steps.slice(0, i + 1).join(''));
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const any = escaped
    .replaceAll('\\[\\*\\]', '\\[(?:\\d+|"(?:[^"\\\\]|\\\\.)*")\\]')
    .replaceAll('\\.\\*', '\\.[A-Za-z_$][\\w$]*');
  return new RegExp(`^${any}$`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
