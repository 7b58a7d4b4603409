import type { Rule } from '../rule.ts';

export const tableRebuild: Rule = {
  id: 'table-rebuild',
  severity: 'warning',
  hint:
    'Prefer ADD COLUMN (expand) where it can do. If the rebuild is needed: keep every column the serving ' +
    'version reads, put PRAGMA defer_foreign_keys = on first, and acknowledge it with ' +
    '"-- shipshape-allow table-rebuild: <why>".',
  check({ rebuild, statement, scratch }) {
    if (!rebuild || rebuild.drop !== statement) return null;
    const children = scratch?.cascadeChildren(rebuild.table) ?? [];
    const cascade = children.length
      ? ` Dropping ${rebuild.table} deletes the rows of its ON DELETE CASCADE children (${children.join(', ')}).`
      : '';
    return {
      message: `Rebuilds table ${rebuild.table} (create, copy, drop, rename): its data is rewritten in one batch.${cascade}`,
      allowedAbove: rebuild.statements,
    };
  },
};
