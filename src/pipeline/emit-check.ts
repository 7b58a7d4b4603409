import type { CheckResult } from '../checks/check.ts';
import type { EventBus } from '../events/bus.ts';
import type { PhaseName } from '../events/types.ts';

/** Every check result goes out as one `check.finished` event, the same shape for every phase. */
export function emitCheck(bus: EventBus, phase: PhaseName, result: CheckResult, component?: string): void {
  bus.emit({
    type: 'check.finished',
    ...(component ? { component } : {}),
    phase,
    name: result.name,
    status: result.status,
    score: result.score,
    evidence: result.evidence,
    attempt: result.attempt ?? 1,
    durationMs: result.durationMs ?? 0,
    message: result.message,
    ...(result.hint ? { hint: result.hint } : {}),
    ...(result.critical ? { critical: true } : {}),
  });
}
