import { EXIT } from '../exit-codes.ts';
import { defineErrors } from './define.ts';

export const migrationErrors = defineErrors({
  MIGRATIONS_NO_BINDING: (c) => ({
    message: c.binding
      ? `No D1 binding "${c.binding}" in ${c.file}${c.known?.length ? ` (bindings: ${c.known.join(', ')})` : ''}.`
      : `${c.file} declares no D1 database (d1_databases).`,
    hint: 'Add the database under "d1_databases" in the wrangler config, or name one of its bindings.',
  }),
  MIGRATIONS_TABLE_NAME: (c) => ({
    message: `migrations_table "${c.table}" is not a plain SQL name.`,
    hint: 'Use letters, digits and underscores only (wrangler writes the name into its SQL as is).',
  }),
  MIGRATIONS_BAD_NAME: (c) => ({
    message: `"${c.name}" is not a usable migration name.`,
    hint: 'Use letters, digits, "-" and "_", e.g. "shipshape migrations new add_user_email".',
  }),
  MIGRATIONS_SEQUENCE: (c) => ({
    message: `Migrations are out of sequence:\n${c.list}`,
    hint: c.hint ?? 'Fix the files listed above; nothing was applied.',
    kind: 'outcome',
    exit: EXIT.blocked,
  }),
  MIGRATIONS_CHECKSUM_MISMATCH: (c) => ({
    message: `${c.file} was edited after it was applied (sha256 ${String(c.recorded).slice(0, 12)}… recorded, ${String(c.actual).slice(0, 12)}… now).`,
    hint: 'Restore the file exactly as it was applied (from version control) and put the change in a new migration.',
    kind: 'outcome',
    exit: EXIT.blocked,
  }),
  MIGRATIONS_LINT_FAILED: (c) => ({
    message: `Migration lint found ${c.errors} error${c.errors === 1 ? '' : 's'}: ${c.first}`,
    hint: c.hint ?? 'Run "shipshape migrations lint" for every finding and its safe alternative.',
    kind: 'outcome',
    exit: EXIT.blocked,
  }),
  MIGRATIONS_PARSE: (c) => ({
    message: `${c.file}:${c.line}: ${c.reason}`,
    hint: 'Fix the SQL at that line; nothing was applied.',
    kind: 'outcome',
    exit: EXIT.blocked,
  }),
  MIGRATIONS_STATEMENT_FAILED: (c) => ({
    message: `${c.file}: statement ${c.index} (line ${c.line}) failed: ${c.reason}\n  ${c.statement}`,
    hint: `Nothing of ${c.file} was applied${c.appliedBefore?.length ? ` (applied before it in this run: ${c.appliedBefore.join(', ')})` : ''}. Fix the statement and run again.`,
    kind: 'outcome',
    exit: EXIT.failed,
  }),
  MIGRATIONS_ROLLBACK_FAILED: (c) => ({
    message: `Rolling back ${c.file} failed at ${c.where}: ${c.reason}`,
    hint: `Nothing of that down file was applied${c.backup ? `; the backup taken first is ${c.backup}` : ''}. Fix it, or roll back with --use-backup.`,
    kind: 'outcome',
    exit: EXIT.rollbackFailed,
  }),
  MIGRATIONS_NO_BACKUP: (c) => ({
    message: `${c.file} has no down file and no backup was recorded when it was applied.`,
    hint: `Write a down file (${c.downHint}) and run the rollback again.`,
    exit: EXIT.rollbackFailed,
  }),
  MIGRATIONS_BACKUP_SCOPE: (c) => ({
    message: `The backup that undoes ${c.file} was taken before ${c.first}; restoring it would also undo ${c.extra.join(', ')}.`,
    hint: `Roll back further with --to ${c.to}, or write down files for the migrations you want to undo.`,
  }),
  MIGRATIONS_BAD_TO: (c) => ({
    message: `--to "${c.value}" is not a migration number.`,
    hint: 'Give the number of the last migration to keep, e.g. --to 0002 (0 undoes them all).',
  }),
  MIGRATIONS_CONFIRM: (c) => ({
    message: `Rolling back ${c.count} migration${c.count === 1 ? '' : 's'} (${c.method}) changes the database and may delete data.`,
    hint: 'Run again with --yes to confirm (required when not interactive, e.g. in CI).',
  }),
});
