import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { D1Binding } from '../../config/worker-config.ts';
import {
  checkSequence,
  lintMigrations,
  readMigrationsDir,
  readState,
  type SequenceProblem,
} from '../../migrations/index.ts';
import { runningTarget } from '../../targets/running-target.ts';
import type { GateCheck, GateContext } from '../check.ts';
import { gateResult } from '../shared/result.ts';

const SHOWN = 10;
const NOT_COMPARED = '; applied files not compared with the database (the local platform is not running)';

/**
 * Migrations numbered in sequence (checked against what the database recorded when the target is at hand: an
 * edited applied file or one numbered before the last applied are caught here, not mid-release) and lint-clean:
 * an error blocks the release; warnings lower the gate score; acknowledged findings are only reported.
 */
export const migrationsCheck: GateCheck = {
  name: 'migrations',
  async run(ctx) {
    if (ctx.config.worker.d1.length === 0) {
      return gateResult('migrations', 'pass', { message: 'no D1 databases', evidence: {} });
    }
    const { problems: sequence, compared } = await sequenceProblems(ctx);
    const lint = await lintMigrations(ctx.config);
    const live = lint.findings.filter((f) => !f.suppressed);
    const errors = [
      ...sequence
        .filter((p) => p.severity === 'error')
        .map((p) => ({ text: `${p.file}: ${p.message}`, hint: p.hint })),
      ...live
        .filter((f) => f.severity === 'error')
        .map((f) => ({ text: `${f.file}:${f.line} ${f.rule}: ${f.message}`, hint: f.hint })),
    ];
    const warnings = [
      ...sequence.filter((p) => p.severity === 'warning').map((p) => `${p.file}: ${p.message}`),
      ...live
        .filter((f) => f.severity === 'warning')
        .map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`),
    ];
    const evidence = {
      files: lint.files,
      appliedCompared: compared,
      errors: errors.length,
      warnings: warnings.length,
      suppressed: lint.suppressed,
      findings: lint.findings,
    };
    if (errors.length > 0) {
      return gateResult('migrations', 'fail', {
        message: `${errors.length} migration problem${errors.length === 1 ? '' : 's'}: ${errors
          .slice(0, SHOWN)
          .map((e) => e.text)
          .join('; ')}`,
        hint: errors[0].hint,
        evidence,
      });
    }
    if (warnings.length > 0) {
      return gateResult('migrations', 'warn', {
        message: `${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings.slice(0, SHOWN).join('; ')}`,
        hint: 'Acknowledge a deliberate step with "-- shipshape-allow <rule>: <reason>" above the statement.',
        evidence,
      });
    }
    return gateResult('migrations', 'pass', {
      message: `${lint.files} file${lint.files === 1 ? '' : 's'} in sequence and lint-clean${lint.suppressed ? ` (${lint.suppressed} acknowledged)` : ''}${compared ? '' : NOT_COMPARED}`,
      evidence,
    });
  },
};

async function sequenceProblems(
  ctx: GateContext,
): Promise<{ problems: SequenceProblem[]; compared: boolean }> {
  const problems: SequenceProblem[] = [];
  // `check` runs without a release's target: it still compares with what was applied when the platform runs,
  // so an edited, applied file blocks here as it would in deploy (it never starts the platform for that).
  const target = ctx.target ?? (await runningTarget(ctx.config, ctx.env));
  try {
    for (const binding of ctx.config.worker.d1) {
      problems.push(...missingDir(binding, ctx.config.projectDir));
      const found = target
        ? (await readState(target.database(binding.binding), binding)).problems
        : checkSequence(readMigrationsDir(binding.migrationsDir));
      problems.push(...found);
    }
  } finally {
    if (target && target !== ctx.target) await target.close();
  }
  return { problems, compared: target !== null };
}

/** A migrations_dir the wrangler config names that is not there (the default folder may be absent: no migrations). */
function missingDir(binding: D1Binding, projectDir: string): SequenceProblem[] {
  if (existsSync(binding.migrationsDir) || binding.migrationsDir === resolve(projectDir, 'migrations'))
    return [];
  return [
    {
      kind: 'missing',
      severity: 'error',
      file: binding.migrationsDir,
      message: `migrations_dir of D1 binding ${binding.binding} does not exist.`,
      hint: 'Create the folder, or fix migrations_dir in the wrangler config.',
    },
  ];
}
