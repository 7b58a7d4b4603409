import type { LintResult } from './lint/lint-migrations.ts';
import type { RollbackPlan } from './rollback.ts';
import type { MigrationStatus } from './status.ts';

/** Lint results as NDJSON: one `lint.finding` per finding, then one `lint.finished` with the counts. */
export function lintNdjson(result: LintResult): string {
  const lines = result.findings.map((f) => JSON.stringify({ v: 1, type: 'lint.finding', ...f }));
  const { files, errors, warnings, suppressed } = result;
  lines.push(JSON.stringify({ v: 1, type: 'lint.finished', files, errors, warnings, suppressed }));
  return `${lines.join('\n')}\n`;
}

/** Lint results for people: `file:line severity rule message`, the hint under it, then a summary line. */
export function lintText(result: LintResult): string {
  const out: string[] = [];
  for (const f of result.findings) {
    const mark = f.suppressed ? 'allowed' : f.severity;
    out.push(`${f.file}:${f.line}  ${mark}  ${f.rule}  ${f.message}`);
    out.push(f.suppressed ? `    acknowledged: ${f.reason}` : `    hint: ${f.hint}`);
  }
  const { files, errors, warnings, suppressed } = result;
  out.push(
    `${files} file${files === 1 ? '' : 's'} linted: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${suppressed} acknowledged`,
  );
  return `${out.join('\n')}\n`;
}

/** One line per migration, then the problems. */
export function statusText(status: MigrationStatus): string {
  const rows = status.migrations.map((m) => {
    const when = m.appliedAt ? `  ${m.appliedAt}` : '';
    const release = m.releaseId ? `  release ${m.releaseId}` : '';
    const notes = [
      m.hasDown ? 'down file' : '',
      m.state === 'applied' && !m.verified ? 'no checksum (applied outside shipshape)' : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `${m.state.padEnd(8)} ${m.name}${when}${release}${notes ? `  (${notes})` : ''}`;
  });
  const problems = status.problems.map((p) => `${p.severity}: ${p.message}\n    hint: ${p.hint}`);
  const head = `${status.binding}: ${status.migrations.length} migration(s), ${status.pending} pending (history in ${status.table})`;
  return `${[head, ...rows, ...problems].join('\n')}\n`;
}

/** What a rollback will undo and how, shown before it asks for confirmation. */
export function rollbackPlanText(plan: RollbackPlan): string {
  if (plan.targets.length === 0) return 'Nothing to roll back.\n';
  const how =
    plan.method === 'backup'
      ? `restore the backup ${plan.restore?.ref} (taken before they were applied)`
      : 'run their down files, latest first';
  const names = plan.targets.map((t) => `  ${t.name}${t.down ? '' : '  (no down file)'}`);
  return `Will roll back ${plan.targets.length} migration(s) and ${how}:\n${names.join('\n')}\n`;
}
