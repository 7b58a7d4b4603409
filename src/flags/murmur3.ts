/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain reference), over the UTF-8 bytes of a string.
 * No Node imports: bundled into workers. ASCII input, the common case for flag and unit ids, is hashed straight
 * from its char codes (same bytes, no encoder); anything else goes through TextEncoder.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const encoder = new TextEncoder();

/**
 * @returns the unsigned 32-bit hash.
 * @example murmur3_x86_32('gr1:123', 0) % 100 + 1 // 73, as Unleash's clients compute it
 */
export function murmur3_x86_32(text: string, seed = 0): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return hashBytes(encoder.encode(text), seed);
  }
  return hashAscii(text, seed);
}

function hashAscii(text: string, seed: number): number {
  const length = text.length;
  const tail = length & ~3;
  let h = seed | 0;
  for (let i = 0; i < tail; i += 4) {
    const k =
      text.charCodeAt(i) |
      (text.charCodeAt(i + 1) << 8) |
      (text.charCodeAt(i + 2) << 16) |
      (text.charCodeAt(i + 3) << 24);
    h = mixH(h, k);
  }
  let k = 0;
  const rest = length & 3;
  if (rest === 3) k ^= text.charCodeAt(tail + 2) << 16;
  if (rest >= 2) k ^= text.charCodeAt(tail + 1) << 8;
  if (rest >= 1) h ^= mixK(k ^ text.charCodeAt(tail));
  return finish(h, length);
}

function hashBytes(bytes: Uint8Array, seed: number): number {
  const length = bytes.length;
  const tail = length & ~3;
  let h = seed | 0;
  for (let i = 0; i < tail; i += 4) {
    h = mixH(h, bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
  }
  let k = 0;
  const rest = length & 3;
  if (rest === 3) k ^= bytes[tail + 2] << 16;
  if (rest >= 2) k ^= bytes[tail + 1] << 8;
  if (rest >= 1) h ^= mixK(k ^ bytes[tail]);
  return finish(h, length);
}

function mixK(k: number): number {
  const a = Math.imul(k, C1);
  return Math.imul((a << 15) | (a >>> 17), C2);
}

function mixH(h: number, k: number): number {
  const x = h ^ mixK(k);
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe6546b64) | 0;
}

function finish(hash: number, length: number): number {
  let h = hash ^ length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
