import type { Rule } from '../rule.ts';

/** D1's documented limits. */
export const MAX_STATEMENT_BYTES = 100 * 1024;
export const MAX_COLUMNS = 100;

export const d1Limits: Rule = {
  id: 'd1-limits',
  severity: 'error',
  hint: 'Split it: D1 allows 100 KB per statement and 100 columns per table (move rarely used columns to a side table).',
  check({ statement, parsed, scratch }) {
    const bytes = Buffer.byteLength(statement.text);
    if (bytes > MAX_STATEMENT_BYTES) {
      return { message: `Statement is ${Math.ceil(bytes / 1024)} KB; D1 refuses statements over 100 KB.` };
    }
    const columns =
      parsed.kind === 'create-table'
        ? parsed.columns.length
        : parsed.kind === 'add-column'
          ? (scratch?.columns(parsed.table).length ?? 0) + 1
          : 0;
    if (columns > MAX_COLUMNS) {
      const table = parsed.kind === 'create-table' || parsed.kind === 'add-column' ? parsed.table : '';
      return { message: `Table ${table} would have ${columns} columns; D1 allows ${MAX_COLUMNS}.` };
    }
    return null;
  },
};
