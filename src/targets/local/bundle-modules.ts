import { readdirSync } from 'node:fs';
import { join, matchesGlob, relative } from 'node:path';
import type { WorkerBindings } from '../../config/worker-bindings.ts';

export type ModuleType = 'ESModule' | 'CommonJS' | 'Text' | 'Data' | 'CompiledWasm';

/** wrangler's default module rules, after the config's own `rules` (which come first, as in wrangler). */
const DEFAULT_RULES: Array<{ type: ModuleType; globs: string[] }> = [
  { type: 'ESModule', globs: ['**/*.js', '**/*.mjs'] },
  { type: 'CommonJS', globs: ['**/*.cjs'] },
  { type: 'CompiledWasm', globs: ['**/*.wasm', '**/*.wasm?module'] },
  { type: 'Text', globs: ['**/*.txt', '**/*.html', '**/*.sql'] },
  { type: 'Data', globs: ['**/*.bin'] },
];

/** Files next to the bundle that are not modules: source maps, wrangler's README, bound workers' folders. */
function skipped(name: string): boolean {
  return name.startsWith('.') || name === 'README.md' || name.endsWith('.map');
}

/**
 * Every module of a bundle folder, the entry first: chunks loaded with `import()`, `.wasm`, text and data modules
 * all run, whatever the specifier looks like (the runtime is given the list, it does not follow imports).
 */
export function bundleModules(
  dir: string,
  mainModule: string,
  rules: WorkerBindings['rules'] = [],
): Array<{ type: ModuleType; path: string }> {
  const modules: Array<{ type: ModuleType; path: string }> = [];
  for (const file of walk(dir)) {
    const name = relative(dir, file).split('\\').join('/');
    const type = moduleType(name, rules);
    if (type) modules.push({ type, path: file });
  }
  const main = join(dir, mainModule);
  return [...modules.filter((m) => m.path === main), ...modules.filter((m) => m.path !== main)];
}

function moduleType(name: string, rules: WorkerBindings['rules']): ModuleType | null {
  for (const rule of [...rules, ...DEFAULT_RULES]) {
    if (rule.globs.some((g) => matchesGlob(name, g) || matchesGlob(name, `**/${g}`))) {
      return rule.type as ModuleType;
    }
  }
  return null;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}
