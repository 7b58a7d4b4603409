import { secretForms } from './redact-forms.ts';
import { hideUrlCredentials, urlCredentialSecrets } from './url-credentials.ts';

/** Env names whose values are secrets: redacted from every sink (semantic-release's habit). */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH|PRIVATE|SMTP|WEBHOOK)/i;
// Shorter values would blank out ordinary words; URL credentials are still hidden by their shape.
const MIN_SECRET_LENGTH = 5;
const MASK = '[redacted]';

/**
 * Values to hide: secret-looking env vars, any extra values (e.g. .dev.vars secrets), and the credentials of
 * every URL found in any env var or extra value. Longest first.
 */
export function secretValues(env: Record<string, string | undefined>, extra: string[] = []): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) values.push(value);
    values.push(...urlCredentialSecrets(value));
  }
  for (const value of extra) values.push(value, ...urlCredentialSecrets(value));
  return [...new Set(values.filter((v) => v.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
}

/** Hides secrets in strings and in every string of a value. Built once per command; used at each boundary. */
export interface Redactor {
  text(text: string): string;
  /** A copy of `value` with every string (object keys included) redacted: call it before serialising. */
  value<T>(value: T): T;
}

/**
 * @example
 * const redactor = createRedactor(process.env, projectSecrets(config));
 * stream.write(`${JSON.stringify(redactor.value(event))}\n`);
 */
export function createRedactor(env: Record<string, string | undefined>, extra: string[] = []): Redactor {
  const forms = [...new Set(secretValues(env, extra).flatMap(secretForms))].sort(
    (a, b) => b.length - a.length,
  );
  const pattern = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'g') : null;
  const text = (input: string): string => hideUrlCredentials(pattern ? input.replace(pattern, MASK) : input);
  const value = (input: unknown): unknown => {
    if (typeof input === 'string') return text(input);
    if (Array.isArray(input)) return input.map(value);
    if (isPlainObject(input)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(input)) out[text(key)] = value(item);
      return out;
    }
    return input;
  };
  return { text, value: <T>(input: T) => value(input) as T };
}

/** Replaces every secret in `text` with [redacted]: a one-off `createRedactor(env, extra).text(text)`. */
export function redact(text: string, env: Record<string, string | undefined>, extra: string[] = []): string {
  return createRedactor(env, extra).text(text);
}

function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (!input || typeof input !== 'object') return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
