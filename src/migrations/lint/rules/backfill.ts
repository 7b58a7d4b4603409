import { type Rule, servingTable } from '../rule.ts';

export const backfill: Rule = {
  id: 'backfill',
  severity: 'warning',
  hint:
    'D1 stops a query after 30 s: backfill in batches from the application or a script (UPDATE … WHERE id ' +
    'BETWEEN a AND b), not inside the migration.',
  check(ctx) {
    const { parsed } = ctx;
    if (ctx.rebuild) return null;
    if (parsed.kind === 'update' && parsed.hasWhere && parsed.derived && servingTable(ctx, parsed.table)) {
      return {
        message: `UPDATE ${parsed.table} rewrites data from existing rows: a backfill inside the migration.`,
      };
    }
    if (parsed.kind === 'insert' || parsed.kind === 'create-table') {
      const read = parsed.sources.filter((t) => servingTable(ctx, t));
      if (read.length === 0) return null;
      const target = parsed.table;
      return {
        message: `Copies rows from ${read.join(', ')} into ${target}: a backfill inside the migration.`,
      };
    }
    return null;
  },
};
