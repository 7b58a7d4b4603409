/** Cursor and erase sequences the live view needs; nothing here ever clears the scrollback. */
export const ANSI = {
  /** Move the cursor up `n` lines to column 0. */
  up: (n: number) => (n > 0 ? `\x1b[${n}A\r` : '\r'),
  /** Erase from the cursor to the end of the screen: the live block only, never lines above it. */
  clearDown: '\x1b[J',
};

const SEQUENCE = /\x1b\[[0-9;?]*[A-Za-z]/g;
const SEQUENCE_AT = /\x1b\[[0-9;?]*[A-Za-z]/y;

/** Removes ANSI escape sequences (tests and width measurement). */
export function stripAnsi(text: string): string {
  return text.replace(SEQUENCE, '');
}

/** Visible width, counting each code point as one column (the live view uses no wide characters). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * Cuts `text` to at most `width` visible columns, keeping escape sequences intact and ending with `…` and a
 * colour reset when cut. A live line that wrapped would break the cursor-up arithmetic of the redraw.
 */
export function fitWidth(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let shown = 0;
  let i = 0;
  while (i < text.length && shown < width - 1) {
    if (text[i] === '\x1b') {
      SEQUENCE_AT.lastIndex = i;
      const found = SEQUENCE_AT.exec(text);
      if (found) {
        out += found[0];
        i += found[0].length;
        continue;
      }
    }
    const char = String.fromCodePoint(text.codePointAt(i)!);
    out += char;
    i += char.length;
    shown += 1;
  }
  return `${out}…${text.includes('\x1b') ? '\x1b[0m' : ''}`;
}
