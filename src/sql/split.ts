import { type Comment, type Token, tokenize } from './tokenizer.ts';

/** One SQL statement of a migration file, with its tokens and where it sits in the file. */
export interface Statement {
  /** 0-based position among the file's statements. */
  index: number;
  tokens: Token[];
  /** Source text from the first to the last token (no trailing semicolon). */
  text: string;
  line: number;
  endLine: number;
}

export interface SplitFile {
  statements: Statement[];
  comments: Comment[];
}

const isWord = (t: Token | undefined, word: string) => t?.type === 'word' && t.value === word;

/**
 * Splits a file into statements at top-level semicolons. A trigger's `BEGIN … END` body (with any `CASE …
 * END` inside it) is part of the CREATE TRIGGER statement, as SQLite reads it.
 * @example splitStatements('CREATE TABLE a(x); DROP TABLE b;').statements.length // 2
 */
export function splitStatements(sql: string): SplitFile {
  const { tokens, comments } = tokenize(sql);
  const statements: Statement[] = [];
  let current: Token[] = [];
  let inTrigger = false;
  let bodyOpen = false;
  let caseDepth = 0;
  const flush = () => {
    if (current.length === 0) return;
    const first = current[0];
    const last = current[current.length - 1];
    statements.push({
      index: statements.length,
      tokens: current,
      text: sql.slice(first.start, last.end),
      line: first.line,
      endLine: last.line + countNewlines(last.text),
    });
    current = [];
    inTrigger = false;
    bodyOpen = false;
    caseDepth = 0;
  };
  for (const token of tokens) {
    if (token.type === 'op' && token.text === ';' && !bodyOpen) {
      flush();
      continue;
    }
    current.push(token);
    if (current.length <= 4 && isWord(token, 'TRIGGER') && isWord(current[0], 'CREATE')) inTrigger = true;
    if (!inTrigger || token.type !== 'word') continue;
    if (!bodyOpen && token.value === 'BEGIN') bodyOpen = true;
    else if (bodyOpen && token.value === 'CASE') caseDepth++;
    else if (bodyOpen && token.value === 'END') {
      if (caseDepth > 0) caseDepth--;
      else bodyOpen = false;
    }
  }
  flush();
  return { statements, comments };
}

function countNewlines(text: string): number {
  let count = 0;
  for (const ch of text) if (ch === '\n') count++;
  return count;
}
