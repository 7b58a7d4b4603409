import { describe, expect, it } from 'vitest';
import { fitWidth, stripAnsi, visibleWidth } from './ansi.ts';
import { formatClock, formatDuration, shortId, splitText, stamp } from './format.ts';

describe('fitWidth', () => {
  it('leaves short lines alone and cuts long ones to the width, escapes intact', () => {
    expect(fitWidth('hello', 10)).toBe('hello');
    expect(fitWidth('hello world', 6)).toBe('hello…');
    const coloured = `\x1b[32m✓\x1b[39m verify 5/5 and much more text`;
    const cut = fitWidth(coloured, 10);
    expect(visibleWidth(cut)).toBe(10);
    expect(stripAnsi(cut)).toBe('✓ verify …');
    expect(cut.startsWith('\x1b[32m✓\x1b[39m')).toBe(true);
    expect(cut.endsWith('\x1b[0m')).toBe(true);
  });
});

describe('format', () => {
  it('formats what the views print', () => {
    expect(stamp('2026-02-07T14:23:10.123Z')).toBe('2026-02-07 14:23:10');
    expect(shortId('abc12345f00d')).toBe('abc12345');
    expect(shortId(null)).toBe('none');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_300)).toBe('12.3s');
    expect(formatDuration(192_000)).toBe('3m 12s');
    expect(formatDuration(3_720_000)).toBe('1h 2m');
    expect(formatClock(83_400)).toBe('1:24');
    expect(formatClock(3_725_000)).toBe('1:02:05');
    expect(
      splitText([
        { version: 'abc123456', percent: 10 },
        { version: 'def456789', percent: 90 },
      ]),
    ).toBe('abc12345 10% / def45678 90%');
  });
});
