import { describe, expect, it } from 'vitest';
import { murmur3_x86_32 } from './murmur3.ts';

// Published vectors for MurmurHash3_x86_32 (SMHasher's reference implementation).
const VECTORS: Array<[string, number, number]> = [
  ['', 0, 0],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['\0\0\0\0', 0, 0x2362f9de],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['aaa', 0x9747b28c, 0x283e0130],
  ['aa', 0x9747b28c, 0x5d211726],
  ['a', 0x9747b28c, 0x7fa09ea6],
  ['abcd', 0x9747b28c, 0xf0478627],
  ['abc', 0x9747b28c, 0xc84a62dd],
  ['ab', 0x9747b28c, 0x74875592],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ['test', 0, 0xba6bd213],
  ['Hello, world!', 0, 0xc0363e43],
];

describe('murmur3_x86_32', () => {
  it.each(VECTORS)('hash(%j, seed %i) is the reference value', (text, seed, expected) => {
    expect(murmur3_x86_32(text, seed)).toBe(expected >>> 0);
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    // Published vector: eight U+03C0 (16 UTF-8 bytes), seed 0x9747b28c.
    expect(murmur3_x86_32('ππππππππ', 0x9747b28c)).toBe(0xd58063c1);
  });
});
