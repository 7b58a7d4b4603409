import { isNullDefault } from '../../../sql/column-def.ts';
import type { Rule } from '../rule.ts';

export const addColumnNotNullWithoutDefault: Rule = {
  id: 'add-column-not-null-without-default',
  severity: 'error',
  hint:
    "Give it a constant default (ADD COLUMN x TEXT NOT NULL DEFAULT ''), or add it nullable, backfill, and " +
    'enforce the value in code: the serving version inserts rows without it.',
  check({ parsed }) {
    if (
      parsed.kind !== 'add-column' ||
      !parsed.column.notNull ||
      !isNullDefault(parsed.column.defaultTokens)
    ) {
      return null;
    }
    return {
      message: `ADD COLUMN ${parsed.table}.${parsed.column.name} is NOT NULL without a default: SQLite refuses it, and inserts from the serving version would fail.`,
    };
  },
};
