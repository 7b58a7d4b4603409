/** Where an expected JSON subset and the actual value first disagree. */
export interface JsonDifference {
  /** JSONPath-like location, e.g. `$.checks[0].status`. */
  path: string;
  expected: unknown;
  /** `undefined` when the key is missing. */
  actual: unknown;
}

/**
 * Deep partial match: every key of `expected` must be in `actual` with a matching value; objects may hold
 * more keys; arrays match index by index and may be longer. Returns the first difference, or null.
 * @example firstDifference({ status: 'healthy' }, { status: 'healthy', db: 'ok' }) // null
 */
export function firstDifference(expected: unknown, actual: unknown, path = '$'): JsonDifference | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { path, expected, actual };
    for (let i = 0; i < expected.length; i++) {
      const diff = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (diff) return diff;
    }
    return null;
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return { path, expected, actual };
    for (const [key, value] of Object.entries(expected)) {
      const diff = firstDifference(value, actual[key], `${path}${keyPath(key)}`);
      if (diff) return diff;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : { path, expected, actual };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
