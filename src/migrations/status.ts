import type { D1Binding } from '../config/worker-config.ts';
import type { DatabaseDriver } from '../targets/target.ts';
import { readState } from './plan.ts';
import type { SequenceProblem } from './sequence.ts';

export interface MigrationStatusRow {
  name: string;
  number: number | null;
  state: 'applied' | 'pending' | 'changed' | 'missing';
  appliedAt: string | null;
  releaseId: string | null;
  /** True when shipshape recorded the checksum (false: applied by wrangler directly). */
  verified: boolean;
  hasDown: boolean;
}

export interface MigrationStatus {
  binding: string;
  table: string;
  migrations: MigrationStatusRow[];
  problems: SequenceProblem[];
  pending: number;
}

/**
 * Every migration of the binding with its state, plus the sequence and checksum problems; reads only.
 * @example (await migrationStatus(driver, binding)).migrations.filter((m) => m.state === 'pending')
 */
export async function migrationStatus(driver: DatabaseDriver, binding: D1Binding): Promise<MigrationStatus> {
  const state = await readState(driver, binding);
  const applied = new Map(state.history.applied.map((r) => [r.name, r]));
  const changed = new Set(state.problems.filter((p) => p.kind === 'changed').map((p) => p.file));
  const rows: MigrationStatusRow[] = state.dir.files.map((f) => {
    const row = applied.get(f.name);
    const record = state.history.records.get(f.name);
    return {
      name: f.name,
      number: f.number,
      state: changed.has(f.name) ? 'changed' : row ? 'applied' : 'pending',
      appliedAt: row?.applied_at ?? null,
      releaseId: record?.release_id ?? null,
      verified: Boolean(record),
      hasDown: f.down !== null,
    };
  });
  const onDisk = new Set(state.dir.files.map((f) => f.name));
  for (const row of state.history.applied) {
    if (onDisk.has(row.name)) continue;
    rows.push({
      name: row.name,
      number: null,
      state: 'missing',
      appliedAt: row.applied_at,
      releaseId: null,
      verified: false,
      hasDown: false,
    });
  }
  return {
    binding: binding.binding,
    table: state.table,
    migrations: rows,
    problems: state.problems,
    pending: state.pending.length,
  };
}
