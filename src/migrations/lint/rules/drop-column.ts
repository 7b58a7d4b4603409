import { type Rule, servingTable } from '../rule.ts';

export const dropColumn: Rule = {
  id: 'drop-column',
  severity: 'error',
  hint:
    'Expand/contract: ship code that no longer reads or writes the column first; drop it in a later release, ' +
    'acknowledged with "-- shipshape-allow drop-column: <why>".',
  check(ctx) {
    const { parsed } = ctx;
    if (parsed.kind !== 'drop-column' || !servingTable(ctx, parsed.table)) return null;
    return {
      message: `DROP COLUMN ${parsed.table}.${parsed.column} deletes data the serving version may still read or write.`,
    };
  },
};
