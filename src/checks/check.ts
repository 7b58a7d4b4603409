import type { ResolvedConfig } from '../config/resolved.ts';
import type { EventBus } from '../events/bus.ts';
import type { CheckStatus } from '../events/types.ts';
import type { Target } from '../targets/target.ts';

/** Every check returns data; the score and verdict are pure functions of these (DESIGN.md principle 3). */
export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** 0-5 contribution for phases that score per check; gate checks use 5 pass, 3 warn, 0 fail. */
  score: number;
  /** One line a person reads. */
  message: string;
  hint?: string;
  evidence: Record<string, unknown>;
  /** A critical failure stops the release (gate) or rolls back at once (later phases). */
  critical?: boolean;
  attempt?: number;
  durationMs?: number;
}

export interface GateContext {
  config: ResolvedConfig;
  /** Process env merged with .dev.vars for the local target. */
  env: Record<string, string | undefined>;
  now: Date;
  /** Present when the gate runs inside a release (secret names come from it). */
  target: Target | null;
  bus: EventBus;
  signal?: AbortSignal;
  /** `--force-window --reason`: the window check passes with a warning and the reason is journaled. */
  forceWindow: { reason: string } | null;
  /** `--skip-promotion-check --reason`: the promotion check passes with a warning and the reason is journaled. */
  skipPromotion?: { reason: string } | null;
}

/** A gate check: independent of the others, so the gate runs them in parallel and reports every failure. */
export interface GateCheck {
  name: string;
  run(ctx: GateContext): Promise<CheckResult | CheckResult[]>;
}
