import type { CheckResult } from '../check.ts';

/** Gate scores by status: a pass is worth 5, a warning 3, a failure 0. */
export const GATE_SCORE = { pass: 5, warn: 3, fail: 0, skip: 5 } as const;

type Fields = Omit<CheckResult, 'status' | 'score' | 'name' | 'evidence'> & {
  evidence?: Record<string, unknown>;
};

/** Builds a gate result whose score follows its status. */
export function gateResult(name: string, status: 'pass' | 'warn' | 'fail', fields: Fields): CheckResult {
  return { name, status, score: GATE_SCORE[status], ...fields, evidence: fields.evidence ?? {} };
}

/**
 * Runs `fn`, stamps each result with its duration, and turns a throw into a failing result so one broken
 * check never hides the others.
 */
export async function timed(
  name: string,
  fn: () => Promise<CheckResult | CheckResult[]>,
): Promise<CheckResult[]> {
  const started = performance.now();
  try {
    const out = await fn();
    const durationMs = Math.round(performance.now() - started);
    return (Array.isArray(out) ? out : [out]).map((r) => ({ ...r, durationMs: r.durationMs ?? durationMs }));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [
      gateResult(name, 'fail', {
        message: `${name}: the check itself failed: ${message}`,
        hint: 'This is a problem running the check, not a verdict on the code; run again with --verbose.',
        evidence: { error: message },
        durationMs: Math.round(performance.now() - started),
      }),
    ];
  }
}

/** Last `count` non-empty lines of a command's output. */
export function tailLines(text: string, count = 20): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return lines.slice(-count).join('\n');
}

/** Matches a name against a glob where `*` stands for any run of characters (`SMTP_INBOX_*`). */
export function globMatch(glob: string, name: string): boolean {
  if (!glob.includes('*')) return glob === name;
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
}
