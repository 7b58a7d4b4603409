import { runHealthChecks } from '../checks/index.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { ShipshapeError, toShipshapeError } from '../errors/shipshape-error.ts';
import type { EventBus } from '../events/bus.ts';
import { applyRollbackFlags } from '../flags/rollback-flags.ts';
import { notifierOf } from '../notify/notifier.ts';
import type { RollbackNotice } from '../notify/rollback-notice.ts';
import type { Target } from '../targets/target.ts';
import { withRetries } from './retry.ts';
import { runRollbackHooks } from './rollback-hooks.ts';

export interface RollbackRequest {
  releaseId: string | null;
  from: string | null;
  to: string | null;
  reason: string;
  /** The person who asked for it (a manual rollback); absent when the judge or a recovery decided it. */
  actor?: string;
  /**
   * A release of several components: each is switched back (in this order, which callers make the reverse of
   * the release order), then hooks and flags run once and each restored version is health-checked. `to: null`
   * takes a first release back to pinned-only. Without it, `from`/`to` name the one worker of `deps.target`.
   */
  components?: ComponentSwitch[];
  /**
   * Steps an interrupted rollback of the same release already journaled (`rollback.step`): the recovery
   * continues that rollback and does only the others.
   */
  done?: ReadonlySet<string>;
}

/** One component's part of a rollback. */
export interface ComponentSwitch {
  name: string;
  config: ResolvedConfig;
  target: Target;
  from: string;
  to: string | null;
}

export interface RollbackDeps {
  config: ResolvedConfig;
  target: Target;
  bus: EventBus;
  env: Record<string, string | undefined>;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

/**
 * Puts `to` back at 100% (atomic switch, retried on transient errors), runs the rollback hooks, sets the
 * rollback flags, re-checks `to`'s health and notifies, journaling each step when done (`done`: skipped).
 * Throws ROLLBACK_FAILED / HEALTH_FAILED_AFTER_ROLLBACK (exit 4) when a person must act.
 */
export async function performRollback(deps: RollbackDeps, request: RollbackRequest): Promise<void> {
  const { bus, target, config } = deps;
  const started = Date.now();
  const done = request.done ?? new Set<string>();
  // A continued rollback was announced when it started; its journal shows one start.
  if (!request.done)
    bus.emit({ type: 'rollback.started', reason: request.reason, from: request.from, to: request.to });
  const step = (name: string) => bus.emit({ type: 'rollback.step', step: name, to: request.to });
  try {
    const switches = request.components ?? [single(deps, request)];
    for (const s of switches) {
      const key = request.components ? `traffic:${s.name}` : 'traffic';
      if (!done.has(key)) await switchBack({ ...deps, target: s.target }, request, s, key);
    }
    const to = request.to ?? 'none';
    await runRollbackHooks(
      config,
      { releaseId: request.releaseId, from: request.from, to, reason: request.reason },
      { ...deps, done, onDone: step },
    );
    if (Object.keys(config.rollback.flags).length > 0 && !done.has('flags')) {
      await applyRollbackFlags(config, target, { reason: request.reason, releaseId: request.releaseId, bus });
      step('flags');
    }
    if (config.rollback.verify && !done.has('health')) {
      for (const s of switches)
        if (s.to) await recheckHealth({ ...deps, config: s.config, target: s.target }, s.to);
      step('health');
    }
    const finished = {
      type: 'rollback.finished' as const,
      ok: true,
      to: request.to,
      durationMs: Date.now() - started,
    };
    if (!done.has('notify'))
      await notifyRollback(bus, {
        finished,
        reason: request.reason,
        actor: request.actor,
        from: request.from,
      });
    bus.emit(finished);
  } catch (err) {
    bus.emit({ type: 'rollback.finished', ok: false, to: request.to, durationMs: Date.now() - started });
    throw err;
  }
}

/**
 * The rollback's last step: its notice (Slack, webhooks listening for `rollback.finished`) sent through the
 * release's notifier, then journaled as step `notify`, so a recovery sends it when, and only when, the journal
 * lacks it. Sent before it is journaled: a process killed in between re-sends it with the same idempotency key.
 * Nothing is sent, and no step journaled, when nobody listens or no notifier is attached (dry run, a fenced
 * process).
 */
export async function notifyRollback(bus: EventBus, notice: RollbackNotice): Promise<void> {
  const notifier = notifierOf(bus);
  if (notifier && (await notifier.rollback(notice)))
    bus.emit({ type: 'rollback.step', step: 'notify', to: notice.finished.to });
}

/** The one worker of a release without components: `to` is required (a first release is withdrawn instead). */
function single(deps: RollbackDeps, request: RollbackRequest): ComponentSwitch {
  if (!request.to)
    throw new ShipshapeError('ROLLBACK_FAILED', {
      to: null,
      reason: 'there is no earlier version to return to',
    });
  return { name: '', config: deps.config, target: deps.target, from: request.from ?? '', to: request.to };
}

/**
 * Puts the component's `to` back at 100% (a first release: its canary back to pinned-only), retried on
 * transient errors, and journals the step.
 */
async function switchBack(
  deps: RollbackDeps,
  request: RollbackRequest,
  s: ComponentSwitch,
  key: string,
): Promise<void> {
  const { bus, target, config } = deps;
  const to = s.to;
  const split = to ? [{ version: to, percent: 100 }] : [{ version: s.from, percent: 0 }];
  const component = s.name ? { component: s.name } : {};
  try {
    await withRetries(() => target.setTraffic(split, `rollback: ${request.reason}`), {
      policy: { attempts: Math.max(3, config.release.retries.attempts), backoff: [0, 1000, 3000] },
      phase: 'rollout',
      name: 'rollback traffic switch',
      bus,
      sleep: deps.sleep,
    });
  } catch (err) {
    throw new ShipshapeError(
      'ROLLBACK_FAILED',
      { to, reason: `${s.name ? `${s.name}: ` : ''}${toShipshapeError(err).message}` },
      { cause: err },
    );
  }
  bus.emit({ type: 'traffic.changed', split, ...component });
  bus.emit({ type: 'rollback.step', step: key, to, ...component });
}

async function recheckHealth(deps: RollbackDeps, version: string): Promise<void> {
  const results = await runHealthChecks({
    target: deps.target,
    version,
    config: deps.config,
    bus: deps.bus,
    signal: deps.signal,
    sleep: (ms: number) => deps.sleep(ms, deps.signal),
  });
  const bad = results.find((r) => r.status === 'fail' && r.critical);
  if (bad)
    throw new ShipshapeError('HEALTH_FAILED_AFTER_ROLLBACK', {
      to: version,
      reason: bad.message,
    });
}
