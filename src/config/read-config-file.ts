import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createJiti } from 'jiti';
import { type ParseError, parse as parseJsonc, printParseErrorCode } from 'jsonc-parser';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { MODULE_EXT, MODULES_ROOT } from '../package-root.ts';

export const CONFIG_FILES = [
  'shipshape.config.ts',
  'shipshape.config.mts',
  'shipshape.config.js',
  'shipshape.config.mjs',
  'shipshape.config.json',
];

export function findConfigFile(dir: string): string | null {
  for (const name of CONFIG_FILES) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

/**
 * Loads the raw (unvalidated) config object. TypeScript is loaded with jiti, with `shipshape` aliased to this
 * package so a config works in a project that has not installed it yet; a syntax error reports file:line.
 */
export async function readConfigFile(file: string): Promise<unknown> {
  if (file.endsWith('.json')) return readJson(file);
  const jiti = createJiti(import.meta.url, {
    moduleCache: false,
    fsCache: false,
    alias: { shipshape: join(MODULES_ROOT, `index${MODULE_EXT}`) },
  });
  try {
    const mod = (await jiti.import(file)) as { default?: unknown };
    return mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
  } catch (err) {
    throw syntaxError(file, err);
  }
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0) {
    const line = text.slice(0, errors[0].offset).split('\n').length;
    throw new ShipshapeError('CONFIG_SYNTAX', { file, line, reason: printParseErrorCode(errors[0].error) });
  }
  return value;
}

function syntaxError(file: string, err: unknown): ShipshapeError {
  const e = err as { message?: string; loc?: { line?: number }; lineNumber?: number; stack?: string };
  const message = String(e?.message ?? err);
  const line =
    e?.loc?.line ??
    e?.lineNumber ??
    Number(new RegExp(`${escapeRegExp(file)}:(\\d+)`).exec(String(e?.stack ?? ''))?.[1] ?? Number.NaN);
  const fromMessage = /\((\d+):(\d+)\)/.exec(message);
  return new ShipshapeError(
    'CONFIG_SYNTAX',
    {
      file,
      line: Number.isFinite(line) ? line : fromMessage ? Number(fromMessage[1]) : undefined,
      reason: message.split('\n')[0].replace(`${file}: `, ''),
    },
    { cause: err },
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
