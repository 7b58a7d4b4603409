import type { ResolvedConfig } from '../config/resolved.ts';
import type { ComponentPlan } from '../events/types.ts';
import type { Target } from '../targets/target.ts';

/** One component this release acts on: its view of the config and its own target. */
export interface ReleaseUnit {
  name: string;
  config: ResolvedConfig;
  target: Target;
}

/** A component uploaded and placed in its deployment at 0%: from then on a failure must roll it back. */
export interface StagedUnit extends ReleaseUnit {
  canary: string;
  /** The version serving before the release; null for a component's first release. */
  baseline: string | null;
  /**
   * The plan's strategy for it; absent: `split`. `preview` (a Pages project on Cloudflare): verified on its own
   * preview address, then made production at once, with no traffic steps.
   */
  strategy?: ComponentPlan['strategy'];
}
