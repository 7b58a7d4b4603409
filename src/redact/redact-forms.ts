/**
 * The spellings a secret takes in free text besides itself: escaped for JSON (once and twice, and with
 * non-ASCII as \u escapes), URL-encoded (component, form and lower-case hex), and base64 (standard and
 * URL-safe, padded or not, at each of the three byte alignments it can sit at inside a longer encoded blob,
 * as in a Basic `Authorization` header).
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = jsonEscaped(secret);
  forms.add(json);
  forms.add(jsonEscaped(json));
  forms.add(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  forms.add(uri.replace(/%20/g, '+'));
  forms.add(uri.replace(/%[0-9A-F]{2}/g, (c) => c.toLowerCase()));
  forms.add(encodeURI(secret));
  for (const b64 of base64Forms(secret)) {
    forms.add(b64);
    forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((f) => f.length > 0);
}

function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

// Shorter inner runs of an offset encoding would match unrelated base64 text.
const MIN_INNER_BASE64 = 8;

function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const whole = bytes.toString('base64');
  const forms = [whole, whole.replace(/=+$/, '')];
  for (const offset of [1, 2]) {
    // Encoded after `offset` other bytes, the secret's own characters start at a fixed place; the last
    // partial group depends on what follows, so only the complete groups are kept.
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    const inner = encoded.slice(start, end);
    if (inner.length >= MIN_INNER_BASE64) forms.push(inner);
  }
  const tail = whole.replace(/=+$/, '');
  // At offset 0 inside a longer blob, only the complete groups are certain.
  const complete = tail.slice(0, Math.floor((bytes.length * 4) / 3));
  if (complete.length >= MIN_INNER_BASE64) forms.push(complete);
  return forms;
}
