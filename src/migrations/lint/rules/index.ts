import type { Rule, RuleId, Severity } from '../rule.ts';
import { addColumnNotNullWithoutDefault } from './add-column-not-null.ts';
import { addColumnUnsupported } from './add-column-unsupported.ts';
import { backfill } from './backfill.ts';
import { d1Limits } from './d1-limits.ts';
import { dropColumn } from './drop-column.ts';
import { dropIndex } from './drop-index.ts';
import { dropTable } from './drop-table.ts';
import { pragmaForeignKeys } from './pragma-foreign-keys.ts';
import { renameColumn } from './rename-column.ts';
import { renameTable } from './rename-table.ts';
import { tableRebuild } from './table-rebuild.ts';
import { transactionStatement } from './transaction-statement.ts';
import { unboundedWrite } from './unbounded-write.ts';
import { uniqueIndex } from './unique-index.ts';

/** Every lint rule, in the order findings of one statement are reported. */
export const RULES: Rule[] = [
  dropTable,
  dropColumn,
  renameTable,
  renameColumn,
  addColumnNotNullWithoutDefault,
  addColumnUnsupported,
  transactionStatement,
  pragmaForeignKeys,
  tableRebuild,
  uniqueIndex,
  dropIndex,
  unboundedWrite,
  backfill,
  d1Limits,
];

export const INVALID_SQL = {
  id: 'invalid-sql' as RuleId,
  severity: 'error' as Severity,
  hint: 'Fix the statement: it must run on SQLite as D1 runs it. Nothing is applied while a file does not parse.',
};

/** Rule id → rule, including the parser's own invalid-sql. */
export const RULES_BY_ID = new Map<string, { id: RuleId; severity: Severity; hint: string }>(
  [...RULES, INVALID_SQL].map((r) => [r.id, r]),
);
