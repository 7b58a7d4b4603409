import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/** One problem in a config, ready to print: where, what was found, what is allowed. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Turns zod issues into problems that name the key path, the value found and what is allowed. */
export function describeIssues(
  issues: z.core.$ZodIssue[],
  raw: unknown,
  prefix: (string | number)[] = [],
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.reduce((a, b) => (deepest(b) > deepest(a) ? b : a));
      if (deepest(best) > 0) {
        problems.push(...describeIssues(best, raw, prefix));
        continue;
      }
    }
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const known = knownKeys(raw, path.slice(prefix.length));
        const suggestion = known.length ? closest(key, known) : null;
        const near = suggestion && distance(key, suggestion) <= Math.max(2, Math.floor(key.length / 3));
        problems.push({
          path: formatPath([...path, key]),
          message: `unknown key${near ? `; did you mean "${suggestion}"?` : '.'}${known.length ? ` Allowed here: ${known.join(', ')}.` : ''}`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? 'invalid key';
      problems.push({
        path: formatPath(path),
        message: `${inner}; found key ${JSON.stringify(path.at(-1))}`,
      });
      continue;
    }
    const found = valueAt(raw, path.slice(prefix.length));
    problems.push({ path: formatPath(path), message: `${expected(issue)}; found ${show(found)}` });
  }
  return problems;
}

function deepest(issues: z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_type' ? 0 : 1)));
}

function expected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return issue.message.startsWith('Invalid input') ? `expected ${issue.expected}` : issue.message;
    // gt/lt are exclusive bounds: `expected < 1`, not `<= 1`, for a value of 1.
    case 'too_small':
      return `expected ${issue.origin === 'array' ? 'at least' : issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_big':
      return `expected ${issue.origin === 'array' ? 'at most' : issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`;
    default:
      return issue.message.replace(/^Invalid input: /, '');
  }
}

let rootSchema: z.ZodType | null = null;
/** The schema whose keys "did you mean" suggests from. */
export function useSchemaForSuggestions(schema: z.ZodType): void {
  rootSchema = schema;
}

function knownKeys(_raw: unknown, path: (string | number)[]): string[] {
  return rootSchema ? schemaKeysAt(rootSchema, path) : [];
}

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown): Def => (s as { _zod: { def: Def } })._zod.def;

/** Keys an object schema accepts at `path`, looking through defaults, pipes, arrays, records and unions. */
export function schemaKeysAt(schema: unknown, path: (string | number)[]): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
      return schemaKeysAt(def.innerType, path);
    case 'pipe':
      return schemaKeysAt(def.in, path);
    case 'union':
      return [...new Set((def.options as unknown[]).flatMap((o) => schemaKeysAt(o, path)))];
    case 'array':
      return path.length ? schemaKeysAt(def.element, path.slice(1)) : [];
    case 'record':
      return path.length ? schemaKeysAt(def.valueType, path.slice(1)) : [];
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      if (path.length === 0) return Object.keys(shape);
      const next = shape[String(path[0])];
      return next ? schemaKeysAt(next, path.slice(1)) : [];
    }
    default:
      return [];
  }
}

export function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let cur = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export function formatPath(path: (string | number)[]): string {
  return (
    path.reduce<string>(
      (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key),
      '',
    ) || '(top level)'
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
