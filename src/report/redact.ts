/** Env names whose values are secrets: redacted from every sink (semantic-release's habit). */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH|PRIVATE|SMTP|WEBHOOK)/i;
const MIN_SECRET_LENGTH = 5;

/** Values to hide: secret-looking env vars plus any extra values (e.g. .dev.vars secrets). */
export function secretValues(env: Record<string, string | undefined>, extra: string[] = []): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value as string);
  return [...new Set([...values, ...extra.filter((v) => v.length >= MIN_SECRET_LENGTH)])].sort(
    (a, b) => b.length - a.length,
  );
}

/** Replaces every secret value in `text` with [redacted]. Applied once, at each output boundary. */
export function redact(text: string, env: Record<string, string | undefined>, extra: string[] = []): string {
  let out = text;
  for (const value of secretValues(env, extra)) out = out.split(value).join('[redacted]');
  return out;
}
