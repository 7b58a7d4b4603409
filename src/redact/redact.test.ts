import { describe, expect, it } from 'vitest';
import { createRedactor, redact, secretValues } from './redact.ts';

const QUOTED = 'pa"ss\\word%41é✓';
const DB_URL = 'postgres://app:s3cr%40t-pw@db.internal:5432/app';

describe('createRedactor', () => {
  const redactor = createRedactor({ API_TOKEN: QUOTED, DATABASE_URL: DB_URL, HOME: '/home/me' });

  it('redacts values before serialising, so JSON escaping cannot hide a secret', () => {
    const event = { type: 'log', message: `token ${QUOTED}`, nested: [{ [QUOTED]: QUOTED }] };
    const line = JSON.stringify(redactor.value(event));
    expect(line).not.toContain(JSON.stringify(QUOTED).slice(1, -1));
    expect(line).not.toContain('ss\\\\word');
    expect(line).toContain('[redacted]');
    expect(JSON.parse(line).type).toBe('log');
  });

  it.each([
    ['raw', QUOTED],
    ['JSON-escaped', JSON.stringify(QUOTED).slice(1, -1)],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(QUOTED)).slice(2, -2)],
    ['\\u-escaped', JSON.stringify(QUOTED).slice(1, -1).replace('é', '\\u00e9').replace('✓', '\\u2713')],
    ['URL-encoded', encodeURIComponent(QUOTED)],
    ['base64', Buffer.from(QUOTED).toString('base64')],
    ['base64url', Buffer.from(QUOTED).toString('base64url')],
    ['base64 inside a Basic header', Buffer.from(`user:${QUOTED}`).toString('base64')],
  ])('catches the %s form in free text', (_, form) => {
    const out = redactor.text(`before ${form} after`);
    expect(out).toContain('[redacted]');
    expect(out).not.toContain(form);
  });

  it('hides credentials inside URLs whatever the variable is called, alone or in a URL', () => {
    expect(redactor.text(`connect ${DB_URL} failed`)).toBe(
      'connect postgres://[redacted]@db.internal:5432/app failed',
    );
    expect(redactor.text('password s3cr@t-pw rejected')).not.toContain('s3cr@t-pw');
    expect(redactor.text('password s3cr%40t-pw rejected')).not.toContain('s3cr%40t-pw');
    expect(createRedactor({}).text('see https://u:p@h.example/x and https://h.example:8443/y')).toBe(
      'see https://[redacted]@h.example/x and https://h.example:8443/y',
    );
    expect(createRedactor({}).text('{"url":"https://u:p@h.example","next":"a@b"}')).toBe(
      '{"url":"https://[redacted]@h.example","next":"a@b"}',
    );
  });

  it('leaves non-secret text, numbers and non-plain objects alone', () => {
    const date = new Date(0);
    expect(redactor.value({ n: 3, ok: true, none: null, date }).date).toBe(date);
    expect(redactor.text('/home/me is not a secret')).toBe('/home/me is not a secret');
  });

  it('ignores values too short to be told from ordinary words', () => {
    expect(secretValues({ API_KEY: 'abc' })).toEqual([]);
    expect(redact('abc', { API_KEY: 'abc' })).toBe('abc');
  });
});
