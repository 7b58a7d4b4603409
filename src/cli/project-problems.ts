import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { ConfigProblem } from '../config/config-issues.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { flagDefinitions } from '../flags/definitions.ts';
import { valueProblem, withBuiltIns } from '../flags/flag-types.ts';
import { readMigrationsDir } from '../migrations/files.ts';

/**
 * What the config names on disk that is not there or not as documented: a D1 binding's migrations_dir (other
 * than wrangler's default `migrations/`, which a project without migrations may lack), a badly named migration
 * file, a check's cwd; and flags it sets that the definitions refuse. `shipshape config` lists them with the schema's problems (exit 2); the gate blocks on
 * the migration ones too.
 */
export function projectProblems(config: ResolvedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const rel = (path: string) => relative(config.projectDir, path) || '.';
  const databases = config.components.flatMap((c) => c.worker.d1.map((d1) => ({ d1, worker: c.worker })));
  for (const { d1, worker } of databases) {
    const where = `${rel(worker.configPath)} d1_databases[${d1.binding}].migrations_dir`;
    if (!existsSync(d1.migrationsDir)) {
      if (d1.migrationsDir !== resolve(worker.projectDir, 'migrations'))
        problems.push({ path: where, message: `folder ${rel(d1.migrationsDir)} does not exist` });
      continue;
    }
    for (const stray of readMigrationsDir(d1.migrationsDir).strays) {
      if (stray.reason !== 'bad-name') continue;
      problems.push({
        path: rel(resolve(d1.migrationsDir, stray.name)),
        message:
          'not named NNNN_name.sql (three digits or more, "_", a name without spaces); rename it with the next number',
      });
    }
  }
  config.gates.checks.forEach((check, i) => {
    if (check.cwd && !existsSync(resolve(config.projectDir, check.cwd)))
      problems.push({ path: `gates.checks[${i}].cwd`, message: `folder ${check.cwd} does not exist` });
  });
  problems.push(...flagValueProblems(config));
  return problems;
}

/**
 * Flags the config sets by itself (`rollback.flags` at a rollback, `flags.emergency` at an emergency stop) must be
 * defined, with values of their type: found now rather than when the rollback runs.
 */
function flagValueProblems(config: ResolvedConfig): ConfigProblem[] {
  const definitions = withBuiltIns(flagDefinitions(config));
  const sets: Array<[string, Record<string, unknown>]> = [
    ['rollback.flags', config.rollback.flags],
    ['flags.emergency', config.flags.emergency],
  ];
  return sets.flatMap(([path, values]) =>
    Object.entries(values).flatMap(([name, value]): ConfigProblem[] => {
      const definition = definitions[name];
      if (!definition) return [{ path: `${path}.${name}`, message: 'no such flag under flags.definitions' }];
      const problem = valueProblem(definition.type, value);
      return problem
        ? [{ path: `${path}.${name}`, message: `expected ${problem} (a ${definition.type} flag)` }]
        : [];
    }),
  );
}
