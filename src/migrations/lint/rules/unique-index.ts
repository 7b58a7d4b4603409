import { type Rule, servingTable } from '../rule.ts';

export const uniqueIndex: Rule = {
  id: 'unique-index',
  severity: 'warning',
  hint:
    'Find and fix duplicates first (SELECT col, count(*) FROM t GROUP BY col HAVING count(*) > 1) in an ' +
    'earlier release, and make sure the serving version cannot write new ones.',
  check(ctx) {
    const { parsed } = ctx;
    if (parsed.kind !== 'create-index' || !parsed.unique || !servingTable(ctx, parsed.table)) return null;
    return {
      message: `CREATE UNIQUE INDEX ${parsed.index} fails if ${parsed.table} already holds duplicate values.`,
    };
  },
};
