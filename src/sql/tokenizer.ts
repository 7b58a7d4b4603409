/**
 * A tokenizer for SQLite's SQL dialect, written after SQLite's own tokenize.c: comments, string literals,
 * blobs, quoted identifiers ("x", [x], `x`), numbers, parameters and operators. Rules read tokens, never
 * the raw text, so a keyword inside a string, a comment or a quoted name is never mistaken for SQL.
 */

export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'blob' | 'param' | 'op';

export interface Token {
  type: TokenType;
  /** The source text of the token. */
  text: string;
  /** Words: upper-cased; quoted identifiers and strings: unquoted content; others: the text. */
  value: string;
  /** 1-based line of the token's first character. */
  line: number;
  start: number;
  end: number;
}

export interface Comment {
  text: string;
  line: number;
  /** True when nothing but whitespace precedes it on its line. */
  ownLine: boolean;
  block: boolean;
}

export interface Tokenized {
  tokens: Token[];
  comments: Comment[];
}

/** A lexical error (unterminated string or quoted name, stray character) with its line. */
export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'SqlSyntaxError';
  }
}

const CLOSERS: Record<string, string> = { "'": "'", '"': '"', '`': '`', '[': ']' };
const TWO_CHAR_OPS = new Set(['<=', '>=', '==', '!=', '<>', '<<', '>>', '||', '->']);

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdStart = (c: string) =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\u007f';
const isIdChar = (c: string) => isIdStart(c) || isDigit(c) || c === '$';
const isNumberChar = (c: string) => isIdChar(c) || c === '.';

/**
 * Splits SQL text into tokens and comments.
 * @example tokenize("SELECT 'a;b' -- c").tokens.map((t) => t.type) // ['word', 'string']
 */
export function tokenize(sql: string): Tokenized {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = 0;
  let line = 1;
  let lineHasToken = false;
  const n = sql.length;
  const push = (type: TokenType, start: number, value: string) => {
    tokens.push({ type, text: sql.slice(start, i), value, line, start, end: i });
    lineHasToken = true;
  };
  while (i < n) {
    const c = sql[i];
    if (c === '\n') {
      line++;
      lineHasToken = false;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      comments.push({ text: sql.slice(start + 2, i), line, ownLine: !lineHasToken, block: false });
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      // SQLite accepts a block comment left open at the end of input.
      i = close === -1 ? n : close + 2;
      const text = sql.slice(start + 2, close === -1 ? n : close);
      comments.push({ text, line, ownLine: !lineHasToken, block: true });
      line += countNewlines(text);
      continue;
    }
    if (c in CLOSERS) {
      const closer = CLOSERS[c];
      let value = '';
      const pushQuoted = (text: string) => {
        tokens.push({
          type: c === "'" ? 'string' : 'quoted',
          text: sql.slice(start, i),
          value: text,
          line: startLine,
          start,
          end: i,
        });
        lineHasToken = true;
      };
      i++;
      // Fast path: no escaped quote inside, so the value is one slice.
      const close = sql.indexOf(closer, i);
      if (close !== -1 && (closer === ']' || sql[close + 1] !== closer)) {
        value = sql.slice(i, close);
        line += countNewlines(value);
        i = close + 1;
        pushQuoted(value);
        continue;
      }
      for (;;) {
        if (i >= n) {
          const what = c === "'" ? 'string literal' : 'quoted identifier';
          throw new SqlSyntaxError(`unterminated ${what} starting with ${c}`, startLine);
        }
        const ch = sql[i];
        if (ch === closer) {
          // A doubled quote is an escaped quote (not for [brackets]).
          if (closer !== ']' && sql[i + 1] === closer) {
            value += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === '\n') line++;
        value += ch;
        i++;
      }
      pushQuoted(value);
      continue;
    }
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const close = sql.indexOf("'", i + 2);
      if (close === -1) throw new SqlSyntaxError('unterminated blob literal', line);
      i = close + 1;
      push('blob', start, sql.slice(start + 2, close));
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(sql[i + 1] ?? ''))) {
      i++;
      while (i < n && isNumberChar(sql[i])) {
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '+' || sql[i + 1] === '-')) i++;
        i++;
      }
      push('number', start, sql.slice(start, i));
      continue;
    }
    if (isIdStart(c)) {
      while (i < n && isIdChar(sql[i])) i++;
      push('word', start, sql.slice(start, i).toUpperCase());
      continue;
    }
    if (c === '?' || c === ':' || c === '@' || c === '$') {
      i++;
      while (i < n && isIdChar(sql[i])) i++;
      push('param', start, sql.slice(start, i));
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (two === '->' && sql[i + 2] === '>') i += 3;
    else if (TWO_CHAR_OPS.has(two)) i += 2;
    else if ('();,.+-*/%<>=&|~!'.includes(c)) i++;
    else throw new SqlSyntaxError(`unrecognized token "${c}"`, line);
    push('op', start, sql.slice(start, i));
  }
  return { tokens, comments };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) count++;
  return count;
}
