import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway project folder for the checks' unit tests; `git: true` makes it a repository on `main`. */
export interface TempProject {
  dir: string;
  write(path: string, text: string): void;
  git(...args: string[]): string;
  cleanup(): void;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'shipshape',
  GIT_AUTHOR_EMAIL: 'shipshape@example.com',
  GIT_COMMITTER_NAME: 'shipshape',
  GIT_COMMITTER_EMAIL: 'shipshape@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function tempProject(
  files: Record<string, string> = {},
  options: { git?: boolean } = {},
): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-checks-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, ...GIT_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  for (const [path, text] of Object.entries(files)) write(path, text);
  if (options.git) {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', 'init');
  }
  return { dir, write, git, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
