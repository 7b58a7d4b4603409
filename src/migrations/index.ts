/**
 * D1 migration safety: files and sequence, lint (tokenizer, rules, scratch-schema diff), history shared with
 * wrangler, apply with backup, rollback by down files or backup restore, status.
 */
export { type ApplyOptions, type ApplyResult, applyMigrations } from './apply.ts';
export { type DownFile, type MigrationFile, type MigrationsDir, readMigrationsDir } from './files.ts';
export { type HistoryRecord, migrationsTable, OWN_TABLE, readHistory } from './history.ts';
export { countFindings, type Finding, type LintCounts } from './lint/finding.ts';
export { type LintConfig, type LintResult, lintMigrations } from './lint/lint-migrations.ts';
export { lintSql } from './lint/lint-sql.ts';
export type { RuleId, Severity } from './lint/rule.ts';
export { RULES } from './lint/rules/index.ts';
export { ScratchDb } from './lint/scratch.ts';
export { newMigration } from './new-migration.ts';
export { pendingMigrations, readState } from './plan.ts';
export { resolveBinding } from './resolve-binding.ts';
export {
  planRollback,
  type RollbackOptions,
  type RollbackPlan,
  type RollbackResult,
  rollbackMigrations,
} from './rollback.ts';
export { type AppliedState, checkSequence, nextNumber, type SequenceProblem } from './sequence.ts';
export { type MigrationStatus, type MigrationStatusRow, migrationStatus } from './status.ts';
