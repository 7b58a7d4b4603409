import { findComponent } from '../config/components.ts';
import { forComponent, type ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { ShipshapeEvent } from '../events/types.ts';
import type { ReleaseRecord } from '../state/history.ts';
import type { Target } from '../targets/target.ts';
import { finishOrphan } from './orphan-finish.ts';
import { type ComponentSwitch, performRollback } from './rollback.ts';
import { sleep } from './sleep.ts';

/** One component a release staged, as its journal tells: its new version and what served before. */
export interface StagedRecord {
  name: string;
  canary: string;
  baseline: string | null;
}

/**
 * The components a release of several components staged (its `version.uploaded` events name them; the plan
 * says what each served before). Null for a release of the project's one worker.
 */
export function stagedComponents(events: ShipshapeEvent[]): StagedRecord[] | null {
  const plan = events.findLast((e) => e.type === 'plan');
  const serving = new Map(
    (plan?.type === 'plan' ? (plan.components ?? []) : []).map((c) => [c.name, c.serving?.version ?? null]),
  );
  const staged: StagedRecord[] = [];
  for (const e of events)
    if (e.type === 'version.uploaded' && e.component)
      staged.push({ name: e.component, canary: e.version, baseline: serving.get(e.component) ?? null });
  return staged.length > 0 ? staged : null;
}

export interface ComponentRecoveryDeps {
  config: ResolvedConfig;
  target: Target;
  targetFor?: (config: ResolvedConfig) => Promise<Target>;
  env: Record<string, string | undefined>;
}

/**
 * A release of several components died: every component it staged goes back to what served before, dependants
 * first, continuing a rollback its journal shows as started (only the steps not yet done).
 */
export async function restoreComponents(
  deps: ComponentRecoveryDeps,
  orphan: ReleaseRecord,
  bus: EventBus,
  staged: StagedRecord[],
  rollback: { reason: string; done: Set<string>; finished: { ok: boolean } | null } | null,
): Promise<void> {
  let ok = rollback?.finished?.ok ?? true;
  if (!rollback?.finished) {
    try {
      const components: ComponentSwitch[] = [];
      for (const s of [...staged].reverse())
        components.push({ ...(await open(deps, s.name)), from: s.canary, to: s.baseline });
      await performRollback(
        { config: deps.config, target: deps.target, bus, env: deps.env, sleep },
        {
          releaseId: orphan.id,
          from: staged[0].canary,
          to: staged[0].baseline,
          reason: rollback?.reason ?? 'the release process died before finishing',
          components,
          ...(rollback ? { done: rollback.done } : {}),
        },
      );
    } catch (err) {
      ok = false;
      bus.emit({
        type: 'error',
        code: 'ROLLBACK_FAILED',
        message: (err as Error).message,
        hint: 'Run "shipshape status" for each component and "shipshape rollback" where needed.',
      });
    }
  }
  finishOrphan(bus, orphan, ok ? 'rolled_back' : 'failed', new Date(), {
    version: staged[0].canary,
    baseline: staged[0].baseline,
    components: staged.map((s) => ({ name: s.name, version: s.canary, baseline: s.baseline })),
  });
}

async function open(deps: ComponentRecoveryDeps, name: string) {
  const component = findComponent(deps.config.components, name);
  const config = forComponent(deps.config, component);
  if (name === deps.config.component.name) return { name, config, target: deps.target };
  if (!deps.targetFor) throw new Error(`no way to reach component ${name}'s platform from this recovery`);
  return { name, config, target: await deps.targetFor(config) };
}
