import { type ColumnDef, readColumnDef } from './column-def.ts';
import { Cursor, splitTopLevel, topLevelWord } from './cursor.ts';
import type { Statement } from './split.ts';
import type { Token } from './tokenizer.ts';

/** The shape of a statement, as far as the lint rules care. Names are unquoted and lower-cased. */
export type Parsed =
  | { kind: 'create-table'; table: string; columns: ColumnDef[]; asSelect: boolean; sources: string[] }
  | { kind: 'create-index'; index: string; table: string; unique: boolean }
  | { kind: 'drop-table'; table: string }
  | { kind: 'drop-index'; index: string }
  | { kind: 'rename-table'; table: string; to: string }
  | { kind: 'rename-column'; table: string; column: string; to: string }
  | { kind: 'add-column'; table: string; column: ColumnDef }
  | { kind: 'drop-column'; table: string; column: string }
  | { kind: 'update'; table: string; hasWhere: boolean; derived: boolean }
  | { kind: 'delete'; table: string; hasWhere: boolean }
  | { kind: 'insert'; table: string; select: boolean; sources: string[] }
  | { kind: 'transaction'; keyword: string }
  | { kind: 'pragma'; name: string; value: string | null }
  | { kind: 'other'; keyword: string };

const TRANSACTION = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
const NOT_COLUMNS = new Set(
  'NULL TRUE FALSE CASE WHEN THEN ELSE END AND OR NOT IS IN LIKE GLOB BETWEEN ESCAPE CAST AS COLLATE NOCASE BINARY RTRIM TEXT INTEGER INT REAL BLOB NUMERIC CURRENT_TIMESTAMP CURRENT_DATE CURRENT_TIME'.split(
    ' ',
  ),
);

/**
 * Reads a statement's kind and names from its tokens.
 * @example parseStatement(stmt) // { kind: 'drop-column', table: 'users', column: 'email' }
 */
export function parseStatement(statement: Statement): Parsed {
  const c = new Cursor(statement.tokens);
  skipWith(c);
  const head = c.peek();
  const keyword = head?.type === 'word' ? head.value : (head?.text ?? '');
  if (TRANSACTION.has(keyword)) return { kind: 'transaction', keyword };
  if (c.accept('PRAGMA')) return pragma(c);
  if (c.accept('CREATE')) return create(c);
  if (c.accept('DROP')) {
    if (c.accept('TABLE')) return { kind: 'drop-table', table: ifExists(c).name() ?? '' };
    if (c.accept('INDEX')) return { kind: 'drop-index', index: ifExists(c).name() ?? '' };
    return { kind: 'other', keyword: 'DROP' };
  }
  if (c.accept('ALTER', 'TABLE')) return alter(c);
  if (c.accept('UPDATE')) return update(c);
  if (c.accept('DELETE', 'FROM')) {
    const table = c.name() ?? '';
    return { kind: 'delete', table, hasWhere: topLevelWord(c.tokens, 'WHERE', c.pos) !== -1 };
  }
  if (c.at('INSERT') || c.at('REPLACE')) return insert(c);
  return { kind: 'other', keyword };
}

/** Skips a leading `WITH [RECURSIVE] name AS (…), …` so the statement's own verb comes next. */
function skipWith(c: Cursor): void {
  if (!c.accept('WITH')) return;
  c.accept('RECURSIVE');
  while (!c.done()) {
    const t = c.next()!;
    if (t.type === 'op' && t.text === '(') c.group();
    const p = c.peek();
    if (p?.type === 'word' && ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE'].includes(p.value)) {
      const prev = c.tokens[c.pos - 1];
      if (prev.type === 'op' && prev.text === ')') return;
    }
  }
}

function ifExists(c: Cursor): Cursor {
  c.accept('IF', 'EXISTS');
  return c;
}

function pragma(c: Cursor): Parsed {
  const name = c.name() ?? '';
  const rest = c.tokens.slice(c.pos).filter((t) => !(t.type === 'op' && '=()'.includes(t.text)));
  return { kind: 'pragma', name, value: rest.length ? rest[0].value.toLowerCase() : null };
}

function create(c: Cursor): Parsed {
  c.accept('TEMP') || c.accept('TEMPORARY');
  const unique = c.accept('UNIQUE');
  if (c.accept('INDEX')) {
    c.accept('IF', 'NOT', 'EXISTS');
    const index = c.name() ?? '';
    c.accept('ON');
    return { kind: 'create-index', index, table: c.name() ?? '', unique };
  }
  if (!c.accept('TABLE')) return { kind: 'other', keyword: 'CREATE' };
  c.accept('IF', 'NOT', 'EXISTS');
  const table = c.name() ?? '';
  if (c.accept('AS'))
    return { kind: 'create-table', table, columns: [], asSelect: true, sources: sources(c.tokens) };
  if (c.peek()?.text !== '(')
    return { kind: 'create-table', table, columns: [], asSelect: false, sources: [] };
  c.next();
  const columns = splitTopLevel(c.group())
    .filter((part) => !isTableConstraint(part[0]))
    .map(readColumnDef);
  return { kind: 'create-table', table, columns, asSelect: false, sources: [] };
}

function isTableConstraint(t: Token): boolean {
  return t.type === 'word' && ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'].includes(t.value);
}

function alter(c: Cursor): Parsed {
  const table = c.name() ?? '';
  if (c.accept('RENAME', 'TO')) return { kind: 'rename-table', table, to: c.name() ?? '' };
  if (c.accept('RENAME')) {
    c.accept('COLUMN');
    const column = c.name() ?? '';
    c.accept('TO');
    return { kind: 'rename-column', table, column, to: c.name() ?? '' };
  }
  if (c.accept('ADD')) {
    c.accept('COLUMN');
    return { kind: 'add-column', table, column: readColumnDef(c.tokens.slice(c.pos)) };
  }
  if (c.accept('DROP')) {
    c.accept('COLUMN');
    return { kind: 'drop-column', table, column: c.name() ?? '' };
  }
  return { kind: 'other', keyword: 'ALTER' };
}

function update(c: Cursor): Parsed {
  if (c.accept('OR')) c.next();
  const table = c.name() ?? '';
  const set = topLevelWord(c.tokens, 'SET', c.pos);
  const where = topLevelWord(c.tokens, 'WHERE', c.pos);
  const from = topLevelWord(c.tokens, 'FROM', c.pos);
  const endOfSet = [where, from, topLevelWord(c.tokens, 'RETURNING', c.pos)].filter((k) => k > set);
  const assignments = c.tokens.slice(set + 1, endOfSet.length ? Math.min(...endOfSet) : undefined);
  return { kind: 'update', table, hasWhere: where !== -1, derived: from !== -1 || readsData(assignments) };
}

/** True when the right-hand side of some assignment reads a column or runs a subquery. */
function readsData(assignments: Token[]): boolean {
  return splitTopLevel(assignments).some((part) => {
    const eq = part.findIndex((t) => t.type === 'op' && t.text === '=');
    return part.slice(eq + 1).some((t, k, rhs) => {
      if (t.type === 'quoted') return true;
      if (t.type !== 'word' || NOT_COLUMNS.has(t.value)) return false;
      return !(rhs[k + 1]?.type === 'op' && rhs[k + 1].text === '(') || t.value === 'SELECT';
    });
  });
}

function insert(c: Cursor): Parsed {
  c.next();
  if (c.accept('OR')) c.next();
  c.accept('INTO');
  const table = c.name() ?? '';
  const select = topLevelWord(c.tokens, 'SELECT', c.pos) !== -1;
  return { kind: 'insert', table, select, sources: select ? sources(c.tokens.slice(c.pos)) : [] };
}

/** Tables read after FROM or JOIN anywhere in the tokens. */
function sources(tokens: Token[]): string[] {
  const out: string[] = [];
  tokens.forEach((t, k) => {
    if (t.type === 'word' && (t.value === 'FROM' || t.value === 'JOIN')) {
      const cursor = new Cursor(tokens);
      cursor.pos = k + 1;
      const name = cursor.name();
      if (name) out.push(name);
    }
  });
  return out;
}
