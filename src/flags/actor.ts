import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Who is acting (changing flags, rolling back, promoting): `--actor` when given, else git's
 * `user.name <user.email>` in `cwd` (the name alone without an email), else the login name.
 * @example await resolveActor(null, '/app', process.env) // 'Ada Lovelace <ada@example.com>'
 */
export async function resolveActor(
  explicit: string | null | undefined,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  if (explicit?.trim()) return explicit.trim();
  const [name, email] = await Promise.all([gitConfig(cwd, 'user.name'), gitConfig(cwd, 'user.email')]);
  if (name) return email ? `${name} <${email}>` : name;
  return env.USER ?? env.USERNAME ?? 'unknown';
}

/** A git setting as the project sees it; null when unset or outside a repository. */
async function gitConfig(cwd: string, key: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['config', key], { cwd, timeout: 5000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}
