/**
 * Every severity, from harmless to worst: the one order the judge decides by and the reports rank by.
 * `inconclusive` (no proof either way) ranks above a warning (`medium`) and below a rollback (`high`), as its
 * phase score does (scoreForSeverity).
 */
export const SEVERITY_ORDER = ['none', 'low', 'medium', 'inconclusive', 'high', 'critical'] as const;

export type Severity = (typeof SEVERITY_ORDER)[number];

/** 0 for `none` up to 5 for `critical`. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.indexOf(severity);
}

/**
 * The worst of the severities given; `none` when there are none.
 * @example worstSeverity('low', 'inconclusive', 'medium') // 'inconclusive'
 */
export function worstSeverity(...severities: Severity[]): Severity {
  let worst: Severity = 'none';
  for (const s of severities) if (severityRank(s) > severityRank(worst)) worst = s;
  return worst;
}
