import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** Where a version's bundle lives, and the project its sources came from. */
export interface BundleLocator {
  bundleDir(versionId: string): string | null;
  projectDir: string;
}

/**
 * The runtime's own words for a worker that failed while loading, with where: the bundle's file and line, and,
 * when the bundle has a source map, the source file and line. workerd reports in plain lines or in JSON log
 * records (Miniflare 5); both are read. Returns null when the output holds no uncaught error.
 * @example "Uncaught Error: boot failed (bundle index.js:3:7; source src/settings.js:3:7)"
 */
export function describeStartupError(output: string, where: BundleLocator): string | null {
  const texts = output.split('\n').flatMap((line) => {
    try {
      const record = JSON.parse(line) as { message?: unknown };
      return typeof record.message === 'string' ? record.message.split('\n') : [line];
    } catch {
      return [line];
    }
  });
  const at = texts.findIndex((l) => /Uncaught|SyntaxError/.test(l) && !/^stack:/.test(l));
  if (at < 0) return null;
  const head = texts[at];
  const version = /core:user:v-([0-9a-f-]{36})/.exec(head)?.[1] ?? null;
  const message = head.replace(/^.*?service core:user:v-[^:]+: /, '').trim();
  const frame = texts
    .slice(at + 1, at + 8)
    .map((l) => /^\s*at (?:.*?\()?([^\s()]+?):(\d+):(\d+)\)?\s*$/.exec(l))
    .find((m) => m !== null);
  if (!frame) return message;
  const [, file, line, column] = frame;
  const bundleAt = `${file}:${line}:${column}`;
  const dir = version ? where.bundleDir(version) : null;
  const source = dir ? originalPosition(dir, file, Number(line), Number(column), where.projectDir) : null;
  return `${message} (bundle ${bundleAt}${source ? `; source ${source}` : ''})`;
}

/** Maps a bundle position through `<file>.map`; null without a map or a mapping. */
function originalPosition(
  bundleDir: string,
  file: string,
  line: number,
  column: number,
  projectDir: string,
): string | null {
  const mapFile = join(bundleDir, `${file}.map`);
  if (!existsSync(mapFile)) return null;
  try {
    const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
    const entry = map.findEntry(line - 1, column - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry?.originalSource || entry.originalLine === undefined) return null;
    return `${projectPath(entry.originalSource, projectDir)}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
  } catch {
    return null;
  }
}

/**
 * wrangler writes sources relative to the build folder it bundled into (`bundle/` in a `shipshape-build-` temp folder);
 * resolving against a folder at the same depth gives the absolute source path back.
 */
function projectPath(source: string, projectDir: string): string {
  const path = source.replace(/^file:\/\//, '');
  const absolute = isAbsolute(path) ? path : resolve(join(tmpdir(), 'build', 'bundle'), path);
  const rel = relative(projectDir, absolute);
  return rel.startsWith('..') ? path : rel;
}
