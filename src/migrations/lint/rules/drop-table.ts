import { type Rule, servingTable } from '../rule.ts';

export const dropTable: Rule = {
  id: 'drop-table',
  severity: 'error',
  hint:
    'Contract in a later release: first ship code that no longer reads or writes the table, then drop it in ' +
    'its own migration acknowledged with "-- shipshape-allow drop-table: <why>" (the release backup keeps the data).',
  check(ctx) {
    const { parsed } = ctx;
    if (parsed.kind !== 'drop-table' || ctx.rebuild || !servingTable(ctx, parsed.table)) return null;
    return {
      message: `DROP TABLE ${parsed.table} deletes the table and its rows while the serving version may use it.`,
    };
  },
};
