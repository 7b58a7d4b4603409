import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { D1Binding } from '../../config/worker-config.ts';
import { readMigrationsDir } from '../files.ts';
import { countFindings, type Finding, type LintCounts } from './finding.ts';
import { chainOf, readLintCache, writeLintCache } from './lint-cache.ts';
import { lintSql } from './lint-sql.ts';
import { ScratchDb } from './scratch.ts';

export interface LintResult extends LintCounts {
  findings: Finding[];
}

export interface LintConfig {
  worker: { projectDir: string; d1: Pick<D1Binding, 'migrationsDir'>[] };
}

/**
 * Lints migration files: every binding's migrations folder, or only `paths` (files or folders). Files of a
 * folder are applied in order to one scratch SQLite, so each is checked against the schema the earlier ones
 * built; a file outside every folder is checked on its own. Paths in findings are relative to the project.
 * @example const { findings, errors } = await lintMigrations(config, { paths: ['migrations/0003_x.sql'] })
 */
export async function lintMigrations(
  config: LintConfig,
  options: { paths?: string[]; cwd?: string; cache?: string | false } = {},
): Promise<LintResult> {
  const root = config.worker.projectDir;
  const dirs = [...new Set(config.worker.d1.map((d) => d.migrationsDir))];
  const wanted = options.paths?.length ? options.paths.map((p) => resolve(options.cwd ?? root, p)) : null;
  const groups = new Map<string, Set<string> | null>();
  const loose: string[] = [];
  if (!wanted) for (const dir of dirs) groups.set(dir, null);
  for (const path of wanted ?? []) {
    if (existsSync(path) && statSync(path).isDirectory()) groups.set(path, null);
    else if (dirs.includes(dirname(path))) {
      const set = groups.get(dirname(path)) ?? new Set<string>();
      set.add(path);
      if (groups.get(dirname(path)) !== null) groups.set(dirname(path), set);
    } else loose.push(path);
  }
  const findings: Finding[] = [];
  let files = 0;
  const cacheDir = options.cache === false ? null : (options.cache ?? join(root, '.shipshape', 'cache'));
  for (const [dir, only] of groups) {
    const perFile = await lintFolder(dir, root, cacheDir);
    for (const { file, findings: found } of perFile) {
      if (only && !only.has(file.path)) continue;
      files++;
      findings.push(...found);
    }
  }
  for (const path of loose) {
    files++;
    findings.push(...lintSql(readFileSync(path, 'utf8'), { file: relative(root, path), scratch: null }));
  }
  return { findings, ...countFindings(findings, files) };
}

/**
 * Lints every file of a folder in order on one scratch database. With a cache folder, the unchanged prefix
 * of the files is not replayed: its findings and the schema after it come from the last run.
 */
async function lintFolder(dir: string, root: string, cacheDir: string | null) {
  const files = readMigrationsDir(dir).files;
  const chain = chainOf(files);
  const cache = cacheDir ? readLintCache(cacheDir, dir, chain) : null;
  const done = cache?.chain.length ?? 0;
  const scratch = cache ? await ScratchDb.fromDump(cache.schema) : await ScratchDb.create();
  try {
    const results = files.map((file, k) => ({
      file,
      findings:
        k < done ? cache!.findings[k] : lintSql(file.sql, { file: relative(root, file.path), scratch }),
    }));
    if (cacheDir && done < files.length) {
      writeLintCache(cacheDir, dir, {
        chain,
        findings: results.map((r) => r.findings),
        schema: scratch.dump(),
      });
    }
    return results;
  } finally {
    scratch.close();
  }
}
