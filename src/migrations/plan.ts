import type { D1Binding } from '../config/worker-config.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { DatabaseDriver } from '../targets/target.ts';
import { type MigrationFile, type MigrationsDir, readMigrationsDir } from './files.ts';
import { appliedState, type History, migrationsTable, readHistory } from './history.ts';
import { checkSequence, type SequenceProblem } from './sequence.ts';

/** Everything apply, status and rollback start from: the folder, the history, and their problems. */
export interface MigrationsState {
  table: string;
  dir: MigrationsDir;
  history: History;
  problems: SequenceProblem[];
  pending: MigrationFile[];
}

/** Reads the binding's folder and the database's history and checks them against each other. */
export async function readState(
  driver: DatabaseDriver,
  binding: D1Binding,
  options: { dir?: MigrationsDir } = {},
): Promise<MigrationsState> {
  const table = migrationsTable(binding);
  const dir = options.dir ?? readMigrationsDir(binding.migrationsDir);
  const history = await readHistory(driver, table);
  const problems = checkSequence(dir, appliedState(history));
  const applied = new Set(history.applied.map((r) => r.name));
  return { table, dir, history, problems, pending: dir.files.filter((f) => !applied.has(f.name)) };
}

/** Throws the first blocking problem as its own coded error (a changed file names itself). */
export function assertNoBlockingProblems(problems: SequenceProblem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const changed = errors.find((p) => p.kind === 'changed');
  if (changed) {
    const { file, recorded, actual } = changed;
    throw new ShipshapeError('MIGRATIONS_CHECKSUM_MISMATCH', { file, recorded, actual });
  }
  throw new ShipshapeError('MIGRATIONS_SEQUENCE', {
    list: errors.map((p) => `  ${p.file}: ${p.message}`).join('\n'),
    hint: errors[0].hint,
  });
}

/**
 * The files not yet applied, in order, after checking sequence and checksums (throws on a blocking problem).
 * @example const files = await pendingMigrations(target.database('DB'), config.worker.d1[0])
 */
export async function pendingMigrations(
  driver: DatabaseDriver,
  binding: D1Binding,
): Promise<MigrationFile[]> {
  const state = await readState(driver, binding);
  assertNoBlockingProblems(state.problems);
  return state.pending;
}
