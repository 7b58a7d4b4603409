import type { Token } from './tokenizer.ts';

/** What the lint rules need to know about one column definition (`name type constraints…`). */
export interface ColumnDef {
  name: string;
  /** Declared type, upper-cased ('' when none). */
  type: string;
  notNull: boolean;
  /** The DEFAULT clause's tokens, or null when there is none. */
  defaultTokens: Token[] | null;
  primaryKey: boolean;
  unique: boolean;
  references: boolean;
  generatedStored: boolean;
}

const NON_CONSTANT = new Set(['CURRENT_TIME', 'CURRENT_DATE', 'CURRENT_TIMESTAMP']);

/** Reads a column definition from its tokens (the column name first). */
export function readColumnDef(tokens: Token[]): ColumnDef {
  const first = tokens[0];
  const def: ColumnDef = {
    name: (first?.type === 'word' ? first.text : (first?.value ?? '')).toLowerCase(),
    type: declaredType(tokens),
    notNull: false,
    defaultTokens: null,
    primaryKey: false,
    unique: false,
    references: false,
    generatedStored: false,
  };
  let depth = 0;
  let generated = false;
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type === 'op' && t.text === '(') depth++;
    if (t.type === 'op' && t.text === ')') depth--;
    if (depth !== 0 || t.type !== 'word') continue;
    const nextWord = tokens[k + 1]?.type === 'word' ? tokens[k + 1].value : '';
    if (t.value === 'NOT' && nextWord === 'NULL') def.notNull = true;
    else if (t.value === 'PRIMARY' && nextWord === 'KEY') def.primaryKey = true;
    else if (t.value === 'UNIQUE') def.unique = true;
    else if (t.value === 'REFERENCES') def.references = true;
    else if (t.value === 'GENERATED' || (t.value === 'AS' && tokens[k + 1]?.text === '(')) generated = true;
    else if (t.value === 'STORED' && generated) def.generatedStored = true;
    else if (t.value === 'DEFAULT') def.defaultTokens = defaultExpression(tokens, k + 1);
  }
  return def;
}

const CONSTRAINT_START = new Set([
  'CONSTRAINT',
  'PRIMARY',
  'NOT',
  'NULL',
  'UNIQUE',
  'CHECK',
  'DEFAULT',
  'COLLATE',
  'REFERENCES',
  'GENERATED',
  'AS',
]);

function declaredType(tokens: Token[]): string {
  const words: string[] = [];
  for (let k = 1; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type === 'word' && CONSTRAINT_START.has(t.value)) break;
    words.push(t.type === 'word' ? t.value : t.text);
  }
  return words.join(' ').replace(/ \( /g, '(').replace(/ \)/g, ')').replace(/ , /g, ',');
}

function defaultExpression(tokens: Token[], from: number): Token[] {
  const first = tokens[from];
  if (!first) return [];
  if (first.type === 'op' && first.text === '(') {
    let depth = 0;
    const out: Token[] = [];
    for (let k = from; k < tokens.length; k++) {
      out.push(tokens[k]);
      if (tokens[k].text === '(' && tokens[k].type === 'op') depth++;
      if (tokens[k].text === ')' && tokens[k].type === 'op' && --depth === 0) break;
    }
    return out;
  }
  // A signed number is one default: DEFAULT -1.
  if (first.type === 'op' && (first.text === '-' || first.text === '+')) return tokens.slice(from, from + 2);
  return [first];
}

/** True when the default is NULL (or absent), so a NOT NULL column would have no usable default. */
export function isNullDefault(tokens: Token[] | null): boolean {
  if (!tokens || tokens.length === 0) return true;
  return tokens.length === 1 && tokens[0].type === 'word' && tokens[0].value === 'NULL';
}

/**
 * SQLite's ADD COLUMN refuses a default that is not constant: CURRENT_* or an expression calling a function
 * (`(datetime('now'))`). Literals and constant arithmetic are fine.
 */
export function isNonConstantDefault(tokens: Token[] | null): boolean {
  if (!tokens) return false;
  return tokens.some(
    (t, k) =>
      (t.type === 'word' && NON_CONSTANT.has(t.value)) ||
      (t.type === 'word' && tokens[k + 1]?.type === 'op' && tokens[k + 1].text === '(') ||
      t.type === 'quoted',
  );
}
