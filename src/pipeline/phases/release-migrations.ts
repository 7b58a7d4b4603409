import { componentName } from '../../config/resolved.ts';
import { applyMigrations } from '../../migrations/index.ts';
import type { ReleaseContext, ReleaseUnit } from '../context.ts';
import type { ReleaseStep } from './release-step.ts';

/**
 * Backs up each D1 database and applies its pending migrations (each file all or nothing) before the new code
 * takes traffic; the gate has already refused anything that would break the version still serving.
 */
export async function applyReleaseMigrations(
  ctx: ReleaseContext,
  unit: ReleaseUnit,
  step: ReleaseStep,
): Promise<void> {
  for (const binding of unit.config.worker.d1) {
    const result = await step(`migrate ${binding.binding}`, () =>
      applyMigrations(unit.target.database(binding.binding), binding, {
        releaseId: ctx.releaseId,
        backup: true,
        now: ctx.now,
      }),
    );
    if (result.backup) ctx.outputs.backups.push(result.backup);
    if (result.applied.length > 0) {
      ctx.bus.emit({
        type: 'migrations.applied',
        ...(componentName(unit.config) ? { component: unit.name } : {}),
        binding: binding.binding,
        files: result.applied.map((f) => f.name),
        backup: result.backup ? { kind: result.backup.kind, ref: result.backup.ref } : null,
      });
    }
  }
}
