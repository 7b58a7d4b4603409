import { type Rule, servingTable } from '../rule.ts';

export const unboundedWrite: Rule = {
  id: 'unbounded-write',
  severity: 'warning',
  hint:
    'Add a WHERE clause; for a deliberate change of every row, do it in batches (WHERE id BETWEEN a AND b) ' +
    'outside the migration, or acknowledge it.',
  check(ctx) {
    const { parsed } = ctx;
    if ((parsed.kind !== 'update' && parsed.kind !== 'delete') || parsed.hasWhere) return null;
    if (!servingTable(ctx, parsed.table)) return null;
    const verb = parsed.kind === 'update' ? 'UPDATE' : 'DELETE';
    return { message: `${verb} on ${parsed.table} without WHERE touches every row.` };
  },
};
