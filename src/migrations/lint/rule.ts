import type { Parsed } from '../../sql/parse-statement.ts';
import type { Statement } from '../../sql/split.ts';
import type { ScratchDb } from './scratch.ts';

/** Every rule id; `error` blocks the release, `warning` lowers the gate score. */
export type RuleId =
  | 'drop-table'
  | 'drop-column'
  | 'rename-table'
  | 'rename-column'
  | 'add-column-not-null-without-default'
  | 'add-column-unsupported'
  | 'transaction-statement'
  | 'pragma-foreign-keys'
  | 'table-rebuild'
  | 'unique-index'
  | 'drop-index'
  | 'unbounded-write'
  | 'backfill'
  | 'd1-limits'
  | 'invalid-sql';

export type Severity = 'error' | 'warning';

/** One create-copy-drop-rename of a table inside one file. */
export interface Rebuild {
  table: string;
  statements: Statement[];
  /** The statement that drops the old copy: where the finding is reported. */
  drop: Statement;
}

/** What a rule sees: the statement, its shape, and the schema as it stood before the statement. */
export interface RuleContext {
  statement: Statement;
  parsed: Parsed;
  /** True when the table existed before this file ran (so it may hold data the serving version reads). */
  preExisting(table: string): boolean;
  /** Tables created by earlier statements of this file (empty, no reader yet). */
  createdInFile: ReadonlySet<string>;
  /** The rebuild this statement is part of, if any. */
  rebuild: Rebuild | null;
  /** The scratch database in its state before this statement, when the schema could be built. */
  scratch: ScratchDb | null;
}

export interface RuleHit {
  message: string;
  /** Overrides the rule's hint. */
  hint?: string;
  /** More statements above which an acknowledgement also counts (e.g. every step of a rebuild). */
  allowedAbove?: Statement[];
}

/** A lint rule: one module per rule under rules/. */
export interface Rule {
  id: RuleId;
  severity: Severity;
  /** The safe expand/contract alternative. */
  hint: string;
  check(ctx: RuleContext): RuleHit | null;
}

/** Tables the serving version may read: pre-existing ones not created by this file. */
export function servingTable(ctx: RuleContext, table: string): boolean {
  return !ctx.createdInFile.has(table) && ctx.preExisting(table);
}
