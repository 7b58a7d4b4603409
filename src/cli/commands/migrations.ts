import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { WorkerConfig } from '../../config/worker-config.ts';
import { loadWorkerConfig } from '../../config/wrangler.ts';
import { EXIT, ShipshapeError } from '../../errors/shipshape-error.ts';
import { lintNdjson, lintText, rollbackPlanText, statusText } from '../../migrations/format.ts';
import {
  applyMigrations,
  lintMigrations,
  migrationStatus,
  newMigration,
  pendingMigrations,
  planRollback,
  resolveBinding,
  rollbackMigrations,
} from '../../migrations/index.ts';
import { createRedactor, redact } from '../../redact/redact.ts';
import type { DatabaseDriver } from '../../targets/target.ts';
import { confirm } from '../confirm.ts';
import { type CommandContext, defineCommand } from '../define-command.ts';
import { loadProjectConfig, openProject } from '../project.ts';

const BINDING = { binding: { type: 'string' } } as const;

/** The wrangler facts; lint and new work in a project without shipshape.config.ts too. */
async function worker(ctx: CommandContext): Promise<WorkerConfig> {
  try {
    return (await loadProjectConfig(ctx.global)).worker;
  } catch (err) {
    if (err instanceof ShipshapeError && err.code === 'CONFIG_NOT_FOUND')
      return loadWorkerConfig(ctx.global.cwd, ctx.global.env);
    throw err;
  }
}

/** Runs `work` with the binding's database from the configured target, closing the target after. */
async function withDatabase<T>(
  ctx: CommandContext,
  work: (db: DatabaseDriver, w: WorkerConfig) => Promise<T>,
): Promise<T> {
  const project = await openProject(ctx.global, ctx.io);
  const { worker } = project.config;
  const binding = resolveBinding(worker, ctx.args.binding as string | undefined);
  try {
    return await work((await project.target()).database(binding.binding), worker);
  } finally {
    await project.close();
  }
}

const write = (ctx: CommandContext, text: string) => ctx.io.stdout.write(redact(text, ctx.io.env));
const json = (ctx: CommandContext, record: Record<string, unknown>) =>
  ctx.io.stdout.write(`${JSON.stringify(createRedactor(ctx.io.env).value({ v: 1, ...record }))}\n`);

const newCommand = defineCommand({
  name: 'migrations new',
  summary: 'create the next numbered migration file (and its down file in rollback/)',
  usage: 'migrations new NAME [--binding B] [--no-down] [--json]',
  options: { ...BINDING, 'no-down': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async handler(ctx) {
    const w = await worker(ctx);
    const binding = resolveBinding(w, ctx.args.binding as string | undefined);
    const paths = newMigration(binding.migrationsDir, ctx.positionals[0], { down: !ctx.args['no-down'] });
    const rel = (p: string | null) => (p ? relative(ctx.global.cwd, p) : null);
    if (ctx.global.json) json(ctx, { type: 'migrations.created', up: rel(paths.up), down: rel(paths.down) });
    else
      write(
        ctx,
        `created ${rel(paths.up)}${paths.down ? `\ncreated ${rel(paths.down)} (its down file)` : ''}\n`,
      );
    return 0;
  },
});

const lintCommand = defineCommand({
  name: 'migrations lint',
  summary: 'check migrations for changes that break the serving version or lose data',
  usage: 'migrations lint [PATHS...] [--json]',
  description:
    'Lints every D1 binding\'s migrations folder, or the files and folders given. Errors exit 3. Acknowledge a finding with "-- shipshape-allow <rule>: <reason>" on the line above the statement.',
  positionals: { min: 0, max: 10_000 },
  async handler(ctx) {
    const w = await worker(ctx);
    for (const p of ctx.positionals) {
      if (!existsSync(resolve(ctx.global.cwd, p))) {
        throw new ShipshapeError('USAGE_BAD_ARGS', {
          command: 'migrations lint',
          message: `no such file or folder "${p}".`,
        });
      }
    }
    const result = await lintMigrations({ worker: w }, { paths: ctx.positionals, cwd: ctx.global.cwd });
    write(ctx, ctx.global.json ? lintNdjson(result) : lintText(result));
    return result.errors > 0 ? 3 : 0;
  },
});

const statusCommand = defineCommand({
  name: 'migrations status',
  summary: 'applied and pending migrations, checksums and sequence problems',
  usage: 'migrations status [--binding B] [--env NAME] [--json]',
  description: `Exit 0 when the folder and the database agree (pending files are fine), 3 when a problem would block
the gate: an edited applied file, a gap, a duplicate number, a badly named file, an applied file gone, or one
numbered before the last applied (the same code "check" and "migrations lint" use). Warnings keep exit 0.`,
  options: BINDING,
  async handler(ctx) {
    return withDatabase(ctx, async (db, w) => {
      const status = await migrationStatus(db, resolveBinding(w, ctx.args.binding as string | undefined));
      if (ctx.global.json) json(ctx, { type: 'migrations.status', ...status });
      else write(ctx, statusText(status));
      // Scripts and CI read the exit code: a problem the gate would block on is not "ok".
      return status.problems.some((p) => p.severity === 'error') ? EXIT.blocked : EXIT.ok;
    });
  },
});

const applyCommand = defineCommand({
  name: 'migrations apply',
  summary: 'lint, back up, then apply pending migrations (each file all or nothing)',
  usage: 'migrations apply [--binding B] [--no-backup] [--env NAME] [--json]',
  options: { ...BINDING, 'no-backup': { type: 'boolean' } },
  async handler(ctx) {
    return withDatabase(ctx, async (db, w) => {
      const binding = resolveBinding(w, ctx.args.binding as string | undefined);
      const pending = await pendingMigrations(db, binding);
      if (pending.length) {
        const lint = await lintMigrations({ worker: w }, { paths: pending.map((f) => f.path) });
        const first = lint.findings.find((f) => f.severity === 'error' && !f.suppressed);
        if (first) {
          throw new ShipshapeError('MIGRATIONS_LINT_FAILED', {
            errors: lint.errors,
            first: `${first.file}:${first.line} ${first.rule}: ${first.message}`,
            hint: first.hint,
          });
        }
      }
      const result = await applyMigrations(db, binding, { backup: !ctx.args['no-backup'] });
      const names = result.applied.map((f) => f.name);
      if (ctx.global.json)
        json(ctx, {
          type: 'migrations.applied',
          binding: binding.binding,
          applied: names,
          backup: result.backup,
        });
      else if (names.length === 0) write(ctx, 'Nothing to apply.\n');
      else
        write(
          ctx,
          `${names.map((n) => `applied ${n}`).join('\n')}\n${result.backup ? `backup: ${result.backup.ref}\n` : ''}`,
        );
      return 0;
    });
  },
});

const rollbackCommand = defineCommand({
  name: 'migrations rollback',
  summary: 'undo applied migrations with their down files, or restore the backup taken before them',
  usage: 'migrations rollback [--to NNNN] [--use-backup] [--yes] [--binding B] [--env NAME] [--json]',
  description:
    'Without --to, undoes the last applied migration. Asks for confirmation; --yes is required when not interactive (CI).',
  options: {
    ...BINDING,
    to: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    'use-backup': { type: 'boolean' },
  },
  async handler(ctx) {
    const rawTo = ctx.args.to as string | undefined;
    const to = rawTo === undefined ? null : Number(rawTo);
    if (to !== null && (!/^\d+$/.test(rawTo!) || !Number.isSafeInteger(to)))
      throw new ShipshapeError('MIGRATIONS_BAD_TO', { value: rawTo });
    const useBackup = Boolean(ctx.args['use-backup']);
    return withDatabase(ctx, async (db, w) => {
      const binding = resolveBinding(w, ctx.args.binding as string | undefined);
      const { state: _state, ...plan } = await planRollback(db, binding, { to, useBackup });
      if (!ctx.global.json) write(ctx, rollbackPlanText(plan));
      if (plan.targets.length === 0) {
        if (ctx.global.json)
          json(ctx, { type: 'migrations.rolled_back', binding: binding.binding, rolledBack: [] });
        return 0;
      }
      if (!ctx.args.yes && !(await confirm(ctx, 'Roll back these migrations?'))) {
        throw new ShipshapeError('MIGRATIONS_CONFIRM', { count: plan.targets.length, method: plan.method });
      }
      const result = await rollbackMigrations(db, binding, { to, useBackup });
      const names = result.targets.map((t) => t.name);
      if (ctx.global.json) {
        json(ctx, {
          type: 'migrations.rolled_back',
          binding: binding.binding,
          rolledBack: names,
          method: result.method,
          backup: result.backup,
        });
      } else write(ctx, `${names.map((n) => `rolled back ${n}`).join('\n')}\n`);
      return 0;
    });
  },
});

/** `shipshape migrations new|lint|status|apply|rollback`. */
export const migrationsCommands = [newCommand, lintCommand, statusCommand, applyCommand, rollbackCommand];
