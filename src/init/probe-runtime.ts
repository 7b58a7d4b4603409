import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ResolvedConfig, unwrittenConfig } from '../config/resolved.ts';
import { loadWorkerConfig } from '../config/wrangler.ts';
import { applyMigrations } from '../migrations/index.ts';
import { buildFailure } from '../targets/build/build-failure.ts';
import { runProcess } from '../targets/build/build-process.ts';
import { createTarget } from '../targets/create-target.ts';
import { runDaemon } from '../targets/local/daemon.ts';
import type { Target } from '../targets/target.ts';

/** Entries of the project that belong to one machine's runs, never to the throwaway copy. */
const LEFT_OUT = new Set(['.shipshape', '.wrangler']);

/**
 * Runs `work` against the app served by a throwaway local platform: the project's files are linked into a
 * temporary folder (so the platform's state, D1 and KV files live there, not in `.shipshape/`), a platform runs in
 * this process on free ports, the worker is built, uploaded, its migrations applied to the throwaway database and
 * given 100% of that platform's traffic. Everything is stopped and removed afterwards, even on failure: nothing
 * that was not running before is left running, and the project's own local state is never touched.
 * @example await withProbeRuntime(dir, process.env, async (target, version) => target.request('/', { version }))
 */
export async function withProbeRuntime<T>(
  projectDir: string,
  env: Record<string, string | undefined>,
  work: (target: Target, version: string) => Promise<T>,
  buildCommand: string | null = null,
): Promise<T> {
  const copy = mkdtempSync(join(tmpdir(), 'shipshape-init-probe-'));
  const cleanups: Array<() => Promise<void> | void> = [() => rmSync(copy, { recursive: true, force: true })];
  let result: { value: T } | { error: unknown };
  try {
    // The app's build runs in the project itself, as deploy runs it: bundlers such as Vite resolve real paths and
    // refuse a tree of links. Its outputs (and a config it leaves for wrangler) are then linked like the rest.
    if (buildCommand) {
      const run = await runProcess('sh', ['-c', buildCommand], projectDir, env);
      if (run.code !== 0) throw buildFailure(run.output, null, `build.command "${buildCommand}"`);
    }
    for (const entry of readdirSync(projectDir)) {
      if (!LEFT_OUT.has(entry)) symlinkSync(join(projectDir, entry), join(copy, entry));
    }
    if (existsSync(join(projectDir, '.wrangler', 'deploy'))) {
      mkdirSync(join(copy, '.wrangler'));
      symlinkSync(join(projectDir, '.wrangler', 'deploy'), join(copy, '.wrangler', 'deploy'));
    }
    const daemon = await runDaemon({
      projectDir: copy,
      env: null,
      port: 0,
      controlPort: 0,
      output: () => {},
      linkedFrom: projectDir,
    });
    cleanups.push(() => daemon.close());
    const config = probeConfig(copy);
    const target = await createTarget(config, { env, autoStart: false });
    cleanups.push(() => target.close());
    const artifact = await target.build();
    const version = await target.upload(artifact, { message: 'shipshape init probe', gitSha: null });
    for (const binding of config.worker.d1) {
      await applyMigrations(target.database(binding.binding), binding, {
        releaseId: 'init-probe',
        backup: false,
      });
    }
    await target.setTraffic([{ version: version.id, percent: 100 }], 'shipshape init probe');
    result = { value: await work(target, version.id) };
  } catch (error) {
    result = { error };
  }
  // Reverse order (the platform before its folder); every step runs, and the work's own error comes first.
  const errors = 'error' in result ? [result.error] : [];
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, (errors[0] as Error)?.message ?? 'probe failed');
  return (result as { value: T }).value;
}

/** The schema defaults on free ports, with the worker read from the copy's wrangler config. */
function probeConfig(projectDir: string): ResolvedConfig {
  return unwrittenConfig(projectDir, loadWorkerConfig(projectDir, null), {
    local: { port: 0, controlPort: 0 },
  });
}
