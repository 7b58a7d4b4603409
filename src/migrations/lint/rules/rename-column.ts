import { type Rule, servingTable } from '../rule.ts';

export const renameColumn: Rule = {
  id: 'rename-column',
  severity: 'error',
  hint:
    'Expand/contract: ADD COLUMN the new name, write both columns from the code and backfill, switch reads, ' +
    'then drop the old column in a later release.',
  check(ctx) {
    const { parsed } = ctx;
    if (parsed.kind !== 'rename-column' || !servingTable(ctx, parsed.table)) return null;
    return {
      message: `RENAME COLUMN ${parsed.table}.${parsed.column} TO ${parsed.to} breaks the serving version's queries on ${parsed.column}.`,
    };
  },
};
