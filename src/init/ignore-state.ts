import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What shipshape writes beside the config and no one should commit: journals, the local platform, its token. */
export const STATE_ENTRY = '.shipshape/';

/**
 * Adds `.shipshape/` to the project's .gitignore (creating it) unless a line already ignores it, so `git add -A`
 * never commits release state or the local platform's token.
 * @returns true when the line was added
 */
export function ignoreState(dir: string): boolean {
  const path = join(dir, '.gitignore');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const ignored = text
    .split('\n')
    .map((line) => line.trim())
    .some((line) =>
      ['.shipshape', '.shipshape/', '/.shipshape', '/.shipshape/', '.shipshape/*'].includes(line),
    );
  if (ignored) return false;
  appendFileSync(path, `${text && !text.endsWith('\n') ? '\n' : ''}${STATE_ENTRY}\n`);
  return true;
}
