import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { GateCheck } from '../check.ts';
import { gateResult } from '../shared/result.ts';

const SOURCE = /\.(ts|tsx|js|jsx|mts|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', '.wrangler', '.shipshape', '.git']);
/** Generated code is not the author's to clean: `*.generated.ts`, `*.gen.ts`, `*.min.js`, `*.d.ts`, or a marker. */
const GENERATED_NAME = /\.(generated|gen|min)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$/;
const GENERATED_MARK = /@generated|DO NOT EDIT|auto-generated/i;
const SHOWN = 20;

export interface ConsoleHit {
  file: string;
  line: number;
}

/** Every line matching `pattern` in source files under `paths` (relative to `root`), comment lines skipped. */
export function scanConsoleLog(root: string, paths: string[], pattern: RegExp): ConsoleHit[] {
  const hits: ConsoleHit[] = [];
  for (const path of paths) {
    const start = join(root, path);
    if (!existsSync(start)) continue;
    for (const file of sourceFiles(start)) {
      const text = readFileSync(file, 'utf8');
      if (GENERATED_MARK.test(text.slice(0, 500))) continue;
      text.split(/\r?\n/).forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
        if (pattern.test(line)) hits.push({ file: relative(root, file), line: i + 1 });
      });
    }
  }
  return hits;
}

function sourceFiles(start: string): string[] {
  if (statSync(start).isFile()) return SOURCE.test(start) ? [start] : [];
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries: Dirent[] = readdirSync(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !GENERATED_NAME.test(entry.name)) {
        out.push(full);
      }
    }
  };
  walk(start);
  return out;
}

/** `console.log` left in the source (`gates.consoleLog`: pattern, paths; default `console\.log\(` in `src`). */
export const consoleLogCheck: GateCheck = {
  name: 'console.log',
  async run(ctx) {
    const name = 'console.log';
    const { pattern, paths } = ctx.config.gates.consoleLog;
    let regex: RegExp;
    try {
      regex = new RegExp(pattern);
    } catch (err) {
      return gateResult(name, 'fail', {
        message: `gates.consoleLog.pattern is not a valid regular expression: ${err instanceof Error ? err.message : err}`,
        hint: 'Fix the pattern in the config, e.g. "console\\\\.(log|debug)\\\\(".',
        evidence: { pattern },
      });
    }
    const hits = scanConsoleLog(ctx.config.projectDir, paths, regex);
    const shown = hits.slice(0, SHOWN).map((h) => `${h.file}:${h.line}`);
    const evidence = { pattern, paths, count: hits.length, hits: shown };
    if (hits.length === 0)
      return gateResult(name, 'pass', {
        message: `No match for /${pattern}/ in ${paths.join(', ')}.`,
        evidence,
      });
    const more = hits.length > SHOWN ? ` (first ${SHOWN} of ${hits.length})` : '';
    return gateResult(name, 'fail', {
      message: `${hits.length} match${hits.length === 1 ? '' : 'es'} for /${pattern}/: ${shown.slice(0, 3).join(', ')}${hits.length > 3 ? ', …' : ''}`,
      hint: `Remove them or use a logger; gates.consoleLog configures the pattern and paths${more}:\n${shown.join('\n')}`,
      evidence,
    });
  },
};
