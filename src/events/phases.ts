/**
 * The pipeline's phases in the order they run: the one list that phase names, numbers and titles come from
 * (the event types, the score, the reporters, the Markdown report and the CLI all derive from it).
 */
export const PHASE_NAMES = ['gate', 'release', 'verify', 'e2e', 'rollout'] as const;

export type PhaseName = (typeof PHASE_NAMES)[number];

/** The title a person reads for each phase. */
export const PHASE_TITLES: Readonly<Record<PhaseName, string>> = {
  gate: 'Pre-deployment gate',
  release: 'Build & upload',
  verify: 'Health checks (pinned version)',
  e2e: 'End-to-end',
  rollout: 'Rollout & monitoring',
};

/**
 * 1-based phase number, as `phase.started` events carry it.
 * @example phaseNumber('verify') // 3
 */
export function phaseNumber(phase: PhaseName): number {
  return PHASE_NAMES.indexOf(phase) + 1;
}

export function phaseTitle(phase: PhaseName): string {
  return PHASE_TITLES[phase] ?? phase;
}
