/**
 * Groups request paths into route patterns so ids do not explode the count: `/api/items/123?x=1` and
 * `/api/items/9f0c…` are both `/api/items/:id`. A segment is an id when it is a number, a UUID, a hex
 * string of 8+ characters with a digit, or a token of 16+ characters mixing letters and digits.
 * @example routePattern('/users/42/orders/7f3a9c1e') // '/users/:id/orders/:id'
 */
export function routePattern(path: string): string {
  const q = path.indexOf('?');
  const bare = q >= 0 ? path.slice(0, q) : path;
  const hash = bare.indexOf('#');
  const clean = hash >= 0 ? bare.slice(0, hash) : bare;
  if (clean === '' || clean === '/') return '/';
  const segments = clean.split('/');
  for (let i = 0; i < segments.length; i++) if (isId(segments[i])) segments[i] = ':id';
  return segments.join('/');
}

const NUMBER = /^\d+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^(?=.*\d)[0-9a-f]{8,}$/i;
// Tokens (base64url ids, dated slugs): long, with letters and digits; unbounded sets either way.
const TOKEN = /^(?=.*\d)(?=.*[a-z])[\w-]{16,}$/i;

function isId(segment: string): boolean {
  if (segment.length === 0) return false;
  return NUMBER.test(segment) || UUID.test(segment) || HEX.test(segment) || TOKEN.test(segment);
}
