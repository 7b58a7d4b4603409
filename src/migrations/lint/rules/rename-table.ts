import { type Rule, servingTable } from '../rule.ts';

export const renameTable: Rule = {
  id: 'rename-table',
  severity: 'error',
  hint:
    'Expand/contract: create the new table, have the code write to both and backfill, switch reads, then drop ' +
    'the old table in a later release. Never rename what the serving version queries.',
  check(ctx) {
    const { parsed } = ctx;
    if (parsed.kind !== 'rename-table' || ctx.rebuild || !servingTable(ctx, parsed.table)) return null;
    return {
      message: `RENAME ${parsed.table} TO ${parsed.to} breaks every query of the serving version on ${parsed.table}.`,
    };
  },
};
