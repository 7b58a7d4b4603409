import type { Token } from './tokenizer.ts';

/** A read position over a statement's tokens, with keyword helpers (keywords are never quoted names). */
export class Cursor {
  pos = 0;
  constructor(readonly tokens: Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  done(): boolean {
    return this.pos >= this.tokens.length;
  }

  /** True when the next token is the keyword (upper case), without moving. */
  at(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.type === 'word' && t.value === word;
  }

  /** Consumes the keywords when they come next, in order; returns whether they did. */
  accept(...words: string[]): boolean {
    if (!words.every((w, k) => this.at(w, k))) return false;
    this.pos += words.length;
    return true;
  }

  next(): Token | undefined {
    return this.tokens[this.pos++];
  }

  /** Reads `name` or `schema.name` and returns the last part unquoted, lower-cased (SQLite names fold case). */
  name(): string | null {
    const first = this.next();
    if (!first || !isName(first)) return null;
    let name = first.type === 'word' ? first.text : first.value;
    if (this.peek()?.text === '.' && this.peek(1) && isName(this.peek(1)!)) {
      this.pos++;
      const second = this.next()!;
      name = second.type === 'word' ? second.text : second.value;
    }
    return name.toLowerCase();
  }

  /** Tokens until the matching close parenthesis (the cursor sits after an open one); moves past it. */
  group(): Token[] {
    const out: Token[] = [];
    let depth = 1;
    while (!this.done()) {
      const t = this.next()!;
      if (t.text === '(' && t.type === 'op') depth++;
      if (t.text === ')' && t.type === 'op' && --depth === 0) break;
      out.push(t);
    }
    return out;
  }
}

export function isName(t: Token): boolean {
  return t.type === 'word' || t.type === 'quoted' || t.type === 'string';
}

/** Splits tokens at commas outside parentheses. */
export function splitTopLevel(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === 'op' && t.text === '(') depth++;
    if (t.type === 'op' && t.text === ')') depth--;
    if (t.type === 'op' && t.text === ',' && depth === 0) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** Index of the first keyword at parenthesis depth 0, or -1. */
export function topLevelWord(tokens: Token[], word: string, from = 0): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type === 'op' && t.text === '(') depth++;
    else if (t.type === 'op' && t.text === ')') depth--;
    else if (depth === 0 && t.type === 'word' && t.value === word) return k;
  }
  return -1;
}
