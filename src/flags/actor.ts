import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Who is changing flags: `--actor` when given, else git's user.name in `cwd`, else the login name.
 * @example await resolveActor(null, '/app', process.env) // 'Ada Lovelace'
 */
export async function resolveActor(
  explicit: string | null | undefined,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<string> {
  if (explicit?.trim()) return explicit.trim();
  try {
    const { stdout } = await run('git', ['config', 'user.name'], { cwd, timeout: 5000 });
    if (stdout.trim()) return stdout.trim();
  } catch {
    // Not a repository or no user.name: fall through to the login name.
  }
  return env.USER ?? env.USERNAME ?? 'unknown';
}
