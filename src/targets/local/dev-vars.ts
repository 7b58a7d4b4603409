import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Local secrets and vars as `wrangler dev` reads them: `.dev.vars.<env>` when it exists for the environment,
 * else `.dev.vars`; with neither, `.env.<env>` / `.env`. Values are never printed.
 */
export function readDevVars(projectDir: string, env: string | null): Record<string, string> {
  const candidates = env ? [`.dev.vars.${env}`, '.dev.vars'] : ['.dev.vars'];
  for (const name of candidates) {
    const path = join(projectDir, name);
    if (existsSync(path)) return parseDotenv(readFileSync(path, 'utf8'));
  }
  const dotenv = env ? [`.env.${env}`, '.env'] : ['.env'];
  for (const name of dotenv) {
    const path = join(projectDir, name);
    if (existsSync(path)) return parseDotenv(readFileSync(path, 'utf8'));
  }
  return {};
}

/** dotenv syntax: KEY=value, optional `export`, quotes ('' literal, "" with \n escapes), # comments. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const line = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*('(?:[^']*)'|"(?:\\.|[^"\\])*"|[^\n#]*)?\s*(?:#.*)?$/;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(raw)) continue;
    const m = line.exec(raw);
    if (!m) continue;
    let value = (m[2] ?? '').trim();
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) value = value.slice(1, -1);
    else if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
      value = value
        .slice(1, -1)
        .replace(/\\n/g, '\n')
        .replace(/\\(["\\])/g, '$1');
    }
    out[m[1]] = value;
  }
  return out;
}
