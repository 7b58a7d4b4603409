import type { MigrationFile, MigrationsDir } from './files.ts';

export type SequenceProblemKind =
  | 'gap'
  | 'duplicate'
  | 'out-of-order'
  | 'bad-name'
  | 'down-beside'
  | 'changed'
  | 'missing';

/** One problem with the files' numbering or with what the database recorded. */
export interface SequenceProblem {
  kind: SequenceProblemKind;
  severity: 'error' | 'warning';
  file: string;
  message: string;
  hint: string;
  /** For 'changed': the sha256 recorded at apply time and the file's now. */
  recorded?: string;
  actual?: string;
}

/** What the database says was applied: file names, and sha256 where shipshape recorded one. */
export interface AppliedState {
  names: string[];
  checksums: Map<string, string>;
}

/**
 * Checks numbering (gaps, duplicates, stray names) and, given the applied state, files added before the last
 * applied one (wrangler would apply them late, silently), applied files edited since, and applied files gone.
 * @example checkSequence(readMigrationsDir(dir), applied).filter((p) => p.severity === 'error')
 */
export function checkSequence(dir: MigrationsDir, applied?: AppliedState): SequenceProblem[] {
  const problems: SequenceProblem[] = [];
  const add = (
    kind: SequenceProblemKind,
    file: string,
    message: string,
    hint: string,
    severity: 'error' | 'warning' = 'error',
  ) => problems.push({ kind, severity, file, message, hint });
  for (const stray of dir.strays) {
    if (stray.reason === 'bad-name') {
      add(
        'bad-name',
        stray.name,
        `${stray.name} is not named NNNN_name.sql.`,
        'Rename it with the next number (e.g. 0003_add_x.sql); wrangler would apply it in name order.',
      );
    } else {
      add(
        'down-beside',
        stray.name,
        `${stray.name} sits beside the migrations: "wrangler d1 migrations apply" would run it as a migration.`,
        'Move it to migrations/rollback/ (same number) if anyone may run wrangler on this folder.',
        'warning',
      );
    }
  }
  const files = dir.files;
  for (let k = 1; k < files.length; k++) {
    const prev = files[k - 1];
    const file = files[k];
    if (file.number === prev.number) {
      add(
        'duplicate',
        file.name,
        `${file.name} has the same number as ${prev.name}.`,
        `Renumber it after the last migration (${nextNumber(files)}).`,
      );
    } else if (file.number > prev.number + 1) {
      add(
        'gap',
        file.name,
        `Gap in migrations: ${prev.name} is followed by ${file.name}.`,
        'Renumber the files so the numbers follow each other, or restore the missing file.',
      );
    }
  }
  if (!applied) return problems;
  const appliedSet = new Set(applied.names);
  const onDisk = new Map(files.map((f) => [f.name, f]));
  const lastApplied = Math.max(0, ...files.filter((f) => appliedSet.has(f.name)).map((f) => f.number));
  for (const file of files) {
    const recorded = applied.checksums.get(file.name);
    if (appliedSet.has(file.name) && recorded && recorded !== file.sha256) {
      add(
        'changed',
        file.name,
        `${file.name} was edited after it was applied (sha256 ${recorded.slice(0, 12)}… recorded, ${file.sha256.slice(0, 12)}… now).`,
        'Restore the file as it was applied and put the change in a new migration.',
      );
      Object.assign(problems[problems.length - 1], { recorded, actual: file.sha256 });
    }
    if (!appliedSet.has(file.name) && file.number < lastApplied) {
      add(
        'out-of-order',
        file.name,
        `${file.name} is not applied but is numbered before the last applied migration.`,
        `Renumber it after the last migration (${nextNumber(files)}) so it applies in order.`,
      );
    }
  }
  for (const name of applied.names) {
    if (!onDisk.has(name)) {
      add(
        'missing',
        name,
        `${name} is applied but its file is gone.`,
        'Restore the file from version control; the history must match the folder.',
      );
    }
  }
  return problems;
}

/** The number `migrations new` gives the next file, zero-padded to 4 digits as wrangler does. */
export function nextNumber(files: Pick<MigrationFile, 'number'>[]): string {
  return String(Math.max(0, ...files.map((f) => f.number)) + 1).padStart(4, '0');
}
