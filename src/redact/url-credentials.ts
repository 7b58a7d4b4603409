/**
 * `scheme://user:password@` in free text; the user may be empty (`redis://:pw@host`) and the password may
 * hold an unencoded `@`, `?` or `#` (the match runs to the last `@` before the path). Quotes and brackets end
 * it, so a URL inside JSON text does not swallow the next field; a password holding a quote is still hidden
 * when it comes from the environment or .dev.vars (urlCredentialSecrets).
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"'<>]*:[^\s/"'<>]*@/gi;

/** Hides the user and password of every URL that carries them, whatever variable or message holds it. */
export function hideUrlCredentials(text: string): string {
  return text.includes('://') ? text.replace(URL_CREDENTIALS, '$1[redacted]@') : text;
}

/**
 * The credentials a value carries as a URL (`postgres://user:pass@host`): the password and `user:pass`, raw
 * and percent-decoded, so they are secrets whatever the variable is called and wherever they appear alone.
 */
export function urlCredentialSecrets(value: string): string[] {
  const out: string[] = [];
  for (const match of value.matchAll(/[a-z][a-z0-9+.-]*:\/\/([^\s/]*)@/gi)) {
    const userinfo = match[1];
    const colon = userinfo.indexOf(':');
    if (colon < 0) continue;
    const password = userinfo.slice(colon + 1);
    out.push(userinfo, password, decode(userinfo), decode(password));
  }
  return out.filter((v) => v.length > 0);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
