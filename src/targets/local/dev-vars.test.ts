import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dev-vars.ts';

describe('parseDotenv', () => {
  it('reads plain, quoted, exported and commented lines as wrangler dev does', () => {
    const text = [
      '# a comment',
      'API_KEY=abc123',
      'export TOKEN="line1\\nline2"',
      "RAW='a # b'",
      'SPACED = value with spaces # trailing',
      'EMPTY=',
      '',
    ].join('\n');
    expect(parseDotenv(text)).toEqual({
      API_KEY: 'abc123',
      TOKEN: 'line1\nline2',
      RAW: 'a # b',
      SPACED: 'value with spaces',
      EMPTY: '',
    });
  });
});
