import type { ResolvedConfig } from '../../config/resolved.ts';

export type EnvFormat = ResolvedConfig['gates']['env']['formats'][string];

/**
 * Why `value` breaks `rule`, or null when it fits. Never includes the value (it is usually a secret).
 * Parts named with a trailing `?` may be left off the end (`email|password|host|port|name?`).
 * @example formatProblem('a@b|pw|smtp.x|587|Ann', { parts: ['email','password','host','port','name'], separator: '|' }) // null
 */
export function formatProblem(value: string, rule: EnvFormat): string | null {
  if (rule.parts && rule.parts.length > 0) {
    const names = rule.parts.map((p) => p.replace(/\?$/, ''));
    const required = rule.parts.filter((p) => !p.endsWith('?')).length;
    const got = value.split(rule.separator);
    const shape = `${names.join(rule.separator)}`;
    if (got.length < required || got.length > names.length) {
      const want = required === names.length ? `${names.length}` : `${required}-${names.length}`;
      return `expected ${want} parts "${shape}" separated by "${rule.separator}", got ${got.length}`;
    }
    const empty = got
      .map((part, i) => (part.trim() === '' && !rule.parts![i].endsWith('?') ? names[i] : null))
      .filter(Boolean);
    if (empty.length > 0) return `part${empty.length > 1 ? 's' : ''} ${empty.join(', ')} of "${shape}" empty`;
  }
  if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`).test(value)) {
    return `does not match the pattern /${rule.pattern}/${rule.description ? ` (${rule.description})` : ''}`;
  }
  return null;
}

/** A config problem in the rule itself (bad regular expression), or null. */
export function ruleProblem(rule: EnvFormat): string | null {
  if (rule.pattern === undefined) return null;
  try {
    new RegExp(rule.pattern);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
