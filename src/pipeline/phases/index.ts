import type { PhaseDef } from '../context.ts';
import { e2ePhase } from './e2e.ts';
import { gatePhase } from './gate.ts';
import { releasePhase } from './release.ts';
import { rolloutPhase } from './rollout.ts';
import { verifyPhase } from './verify.ts';

/** The release lifecycle as data: order, dry-run behaviour, how checks settle and what a failure means. */
export const PHASES: PhaseDef[] = [gatePhase, releasePhase, verifyPhase, e2ePhase, rolloutPhase];
