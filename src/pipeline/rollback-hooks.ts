import { runCommand } from '../checks/shared/run-command.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';

export interface RollbackFacts {
  releaseId: string | null;
  from: string | null;
  to: string;
  reason: string;
}

/**
 * Runs the configured rollback hooks (commands get SHIPSHAPE_* env, webhooks a JSON POST). A failing hook is
 * reported but never undoes or blocks the traffic switch, which has already happened.
 */
export async function runRollbackHooks(
  config: ResolvedConfig,
  facts: RollbackFacts,
  io: {
    bus: EventBus;
    env: Record<string, string | undefined>;
    signal?: AbortSignal;
    /** Hooks already run by an interrupted rollback (`hook:N`): skipped. */
    done?: ReadonlySet<string>;
    /** Journals each hook as run, so a recovery never runs a finished hook twice. */
    onDone?: (step: string) => void;
  },
): Promise<void> {
  for (const [index, hook] of config.rollback.hooks.entries()) {
    const step = `hook:${index}`;
    if (io.done?.has(step)) continue;
    await runHook(config, facts, io, hook);
    io.onDone?.(step);
  }
}

async function runHook(
  config: ResolvedConfig,
  facts: RollbackFacts,
  io: { bus: EventBus; env: Record<string, string | undefined>; signal?: AbortSignal },
  hook: ResolvedConfig['rollback']['hooks'][number],
): Promise<void> {
  if ('command' in hook) {
    const outcome = await runCommand(hook.command, {
      cwd: config.projectDir,
      timeoutMs: hook.timeout,
      signal: io.signal,
      env: {
        ...io.env,
        SHIPSHAPE_RELEASE: facts.releaseId ?? '',
        SHIPSHAPE_FROM_VERSION: facts.from ?? '',
        SHIPSHAPE_TO_VERSION: facts.to,
        SHIPSHAPE_REASON: facts.reason,
      },
    });
    const ok = outcome.exitCode === 0;
    io.bus.emit({
      type: 'log',
      level: ok ? 'info' : 'warn',
      message: ok
        ? `rollback hook "${hook.command}" ran`
        : `rollback hook "${hook.command}" failed (${outcome.timedOut ? 'timed out' : `exit ${outcome.exitCode}`})`,
      data: { tail: outcome.output.split('\n').slice(-10).join('\n') },
    });
    return;
  }
  try {
    const res = await fetch(hook.webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'rollback', ...facts, worker: config.worker.name, env: config.env }),
      signal: AbortSignal.timeout(hook.timeout),
    });
    io.bus.emit({
      type: 'log',
      level: res.ok ? 'info' : 'warn',
      message: `rollback webhook answered ${res.status}`,
    });
  } catch (err) {
    io.bus.emit({
      type: 'log',
      level: 'warn',
      message: `rollback webhook failed: ${(err as Error).message}`,
    });
  }
}
