import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevVars {
  vars: Record<string, string>;
  /** Line numbers that are not `KEY=VALUE` (their text is never echoed: it may hold a secret). */
  badLines: number[];
  /** The file read, or null when there is none. */
  path: string | null;
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/**
 * Parses wrangler's `.dev.vars` (dotenv syntax): `KEY=VALUE` lines, `export ` prefixes, `#` comments,
 * single quotes literal, double quotes with `\n` escapes and values spanning lines, `#` after an unquoted
 * value starts a comment.
 */
export function parseDevVars(text: string): Omit<DevVars, 'path'> {
  const vars: Record<string, string> = {};
  const badLines: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (!match) {
      badLines.push(i + 1);
      continue;
    }
    const [, key, raw] = match;
    const quote = raw[0] === '"' || raw[0] === "'" || raw[0] === '`' ? raw[0] : null;
    if (!quote) {
      vars[key] = raw.replace(/\s+#.*$/, '').trim();
      continue;
    }
    // A quoted value may run over several lines until its closing quote.
    let body = raw.slice(1);
    let end = closingQuote(body, quote);
    const start = i;
    while (end < 0 && i + 1 < lines.length) {
      i++;
      body += `\n${lines[i]}`;
      end = closingQuote(body, quote);
    }
    if (end < 0) {
      badLines.push(start + 1);
      continue;
    }
    const value = body.slice(0, end);
    vars[key] =
      quote === '"'
        ? value
            .replace(/\\n/g, '\n')
            .replace(/\\r/g, '\r')
            .replace(/\\(["\\])/g, '$1')
        : value;
  }
  return { vars, badLines };
}

function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}

/**
 * Reads local vars as wrangler does for environment `env` (the wrangler environment): `.dev.vars.<env>` when
 * it exists, else `.dev.vars`; with neither, `.env.<env>` / `.env`.
 */
export function readDevVars(projectDir: string, env: string | null = null): DevVars {
  const devVars = env ? [`.dev.vars.${env}`, '.dev.vars'] : ['.dev.vars'];
  const dotenv = env ? [`.env.${env}`, '.env'] : ['.env'];
  for (const name of [...devVars, ...dotenv]) {
    const path = join(projectDir, name);
    if (existsSync(path)) return { ...parseDevVars(readFileSync(path, 'utf8')), path };
  }
  return { vars: {}, badLines: [], path: null };
}

/**
 * The env the gate checks: `.dev.vars` under the process env (an exported variable wins, as with dotenv).
 * @example const env = gateEnv(process.env, config.projectDir, config.worker.env)
 */
export function gateEnv(
  processEnv: Record<string, string | undefined>,
  projectDir: string,
  env: string | null = null,
): Record<string, string | undefined> {
  return { ...readDevVars(projectDir, env).vars, ...processEnv };
}

/**
 * The worker's local secrets (`.dev.vars` values): every sink (reporters, journals, notifications) hides them
 * besides the secret-looking env vars.
 */
export function projectSecrets(config: { projectDir: string; worker: { env: string | null } }): string[] {
  return Object.values(readDevVars(config.projectDir, config.worker.env).vars);
}
