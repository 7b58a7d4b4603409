import type { RuleId, Severity } from './rule.ts';

/** One lint result, as the CLI prints it and `--json` writes it (`{"type":"lint.finding", ...}`). */
export interface Finding {
  /** Path as given (relative to the project when found through the config). */
  file: string;
  line: number;
  rule: RuleId;
  severity: Severity;
  message: string;
  /** The safe expand/contract alternative. */
  hint: string;
  /** True when acknowledged with `-- shipshape-allow <rule>: <reason>`; it then does not block. */
  suppressed: boolean;
  reason: string | null;
}

export interface LintCounts {
  errors: number;
  warnings: number;
  suppressed: number;
  files: number;
}

/** Counts findings; suppressed ones count apart and never as errors or warnings. */
export function countFindings(findings: Finding[], files: number): LintCounts {
  const live = findings.filter((f) => !f.suppressed);
  return {
    errors: live.filter((f) => f.severity === 'error').length,
    warnings: live.filter((f) => f.severity === 'warning').length,
    suppressed: findings.length - live.length,
    files,
  };
}
