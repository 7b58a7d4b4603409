import { existsSync, readdirSync } from 'node:fs';
import { relative } from 'node:path';
import type { CheckResult, GateCheck } from '../check.ts';
import { gateResult } from '../shared/result.ts';

/** What is wrong with the numbering of one folder's migration files (empty: in sequence). Pure. */
export function numberingProblems(files: string[]): string[] {
  const problems: string[] = [];
  const byNumber = new Map<number, string[]>();
  for (const file of files) {
    const match = /^(\d+)(?=[_\-.])/.exec(file);
    if (!match) {
      problems.push(`${file} has no leading number (expected e.g. 0003_add_index.sql)`);
      continue;
    }
    const n = Number(match[1]);
    byNumber.set(n, [...(byNumber.get(n) ?? []), file]);
  }
  const numbers = [...byNumber.keys()].sort((a, b) => a - b);
  for (const n of numbers) {
    const same = byNumber.get(n)!;
    if (same.length > 1) problems.push(`number ${n} is used by ${same.sort().join(' and ')}`);
  }
  for (let i = 1; i < numbers.length; i++) {
    const [prev, next] = [numbers[i - 1], numbers[i]];
    if (next !== prev + 1) {
      const missing = next - prev === 2 ? `${prev + 1}` : `${prev + 1}-${next - 1}`;
      problems.push(
        `gap: nothing numbered ${missing} between ${byNumber.get(prev)![0]} and ${byNumber.get(next)![0]}`,
      );
    }
  }
  return problems;
}

/** Up-migration files of a folder: `*.sql` at its top level, without `*.down.sql` (sub-folders like rollback/ are not read). */
export function migrationFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql') && !e.name.endsWith('.down.sql'))
    .map((e) => e.name)
    .sort();
}

/**
 * Migration files numbered without gaps or duplicates, per D1 binding's migrations folder. Numbering only:
 * the content lint lives with the migrations.
 */
export const migrationNumberingCheck: GateCheck = {
  name: 'migrations numbering',
  async run(ctx) {
    const bindings = ctx.config.worker.d1;
    if (bindings.length === 0) {
      return gateResult('migrations numbering', 'pass', {
        message: 'No D1 databases.',
        evidence: { bindings: [] },
      });
    }
    const seen = new Set<string>();
    const results: CheckResult[] = [];
    for (const binding of bindings) {
      // Two bindings may share a folder (e.g. per-env databases); check it once.
      if (seen.has(binding.migrationsDir)) continue;
      seen.add(binding.migrationsDir);
      const name = `migrations numbering (${binding.binding})`;
      const dir = relative(ctx.config.projectDir, binding.migrationsDir) || '.';
      const files = migrationFiles(binding.migrationsDir);
      const problems = numberingProblems(files);
      const evidence = { binding: binding.binding, dir, files, problems };
      results.push(
        problems.length === 0
          ? gateResult(name, 'pass', {
              message: `${files.length} migration(s) in ${dir} in sequence.`,
              evidence,
            })
          : gateResult(name, 'fail', {
              message: `${dir}: ${problems.join('; ')}.`,
              hint: 'Renumber the new files so they follow the last one (wrangler d1 migrations create numbers them for you); never renumber an applied one.',
              evidence,
            }),
      );
    }
    return results;
  },
};
