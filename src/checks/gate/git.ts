import { execFile } from 'node:child_process';
import type { GateCheck } from '../check.ts';
import { gateResult, globMatch } from '../shared/result.ts';

interface GitOutcome {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a read-only git command; never throws (git missing or not a repository both come back as !ok). */
export function git(args: string[], cwd: string): Promise<GitOutcome> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr || (err ? err.message : '')) });
    });
  });
}

const NOT_A_REPO_HINT =
  "Run shipshape inside the project's git repository, or turn the git gates off with gates.branch: false and gates.cleanTree: false.";

async function insideRepo(cwd: string): Promise<boolean> {
  const r = await git(['rev-parse', '--is-inside-work-tree'], cwd);
  return r.ok && r.stdout.trim() === 'true';
}

/** CI systems often check out a detached HEAD; they name the branch in their own variables. */
const CI_BRANCH_VARS = [
  'GITHUB_REF_NAME',
  'CI_COMMIT_BRANCH',
  'BUILDKITE_BRANCH',
  'CIRCLE_BRANCH',
  'BRANCH_NAME',
];

/** The branch a release must come from (`gates.branch`, default `main`; a glob like `release/*` works). */
export function branchCheck(expected: string): GateCheck {
  const name = 'git branch';
  return {
    name,
    async run(ctx) {
      const cwd = ctx.config.projectDir;
      if (!(await insideRepo(cwd))) return notARepo(name, cwd);
      const head = await git(['symbolic-ref', '--short', '-q', 'HEAD'], cwd);
      let branch = head.ok ? head.stdout.trim() : null;
      let source = 'HEAD';
      if (!branch) {
        const ciVar = CI_BRANCH_VARS.find((v) => ctx.env[v]);
        if (ciVar) {
          branch = ctx.env[ciVar] as string;
          source = ciVar;
        }
      }
      const evidence = { expected, branch, source };
      if (!branch) {
        return gateResult(name, 'fail', {
          message: `HEAD is detached; releases come from branch "${expected}".`,
          hint: `Check out "${expected}" (git switch ${expected}), or set gates.branch in the config.`,
          evidence,
        });
      }
      if (!globMatch(expected, branch)) {
        return gateResult(name, 'fail', {
          message: `On branch "${branch}"; releases come from "${expected}".`,
          hint: `Merge into "${expected}" and deploy from there, or set gates.branch (false turns the check off).`,
          evidence,
        });
      }
      return gateResult(name, 'pass', { message: `On branch "${branch}".`, evidence });
    },
  };
}

/** Files shipshape itself writes into the project; they never make the tree dirty. */
const OWN_STATE = ['.shipshape/'];

/** No uncommitted changes: what is released is what is committed. Ignored files do not count. */
export const cleanTreeCheck: GateCheck = {
  name: 'clean tree',
  async run(ctx) {
    const name = 'clean tree';
    const cwd = ctx.config.projectDir;
    if (!(await insideRepo(cwd))) return notARepo(name, cwd);
    // The whole repository counts (a monorepo's shared code is bundled too); paths are repository-relative.
    // --porcelain -z is stable across git versions and locales; ignored files are left out by default.
    const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all'], cwd);
    if (!status.ok) throw new Error(`git status failed: ${status.stderr.trim()}`);
    const prefix = (await git(['rev-parse', '--show-prefix'], cwd)).stdout.trim();
    const own = OWN_STATE.map((p) => prefix + p);
    const entries = parsePorcelain(status.stdout).filter((e) => !own.some((p) => e.path.startsWith(p)));
    if (entries.length === 0)
      return gateResult(name, 'pass', { message: 'Working tree clean.', evidence: { changes: 0 } });
    const shown = entries.slice(0, 20).map((e) => `${e.code} ${e.path}`);
    return gateResult(name, 'fail', {
      message: `${entries.length} uncommitted change${entries.length === 1 ? '' : 's'}: ${shown.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}`,
      hint: `Commit or stash them (or add generated files to .gitignore), or set gates.cleanTree: false.\n${shown.join('\n')}`,
      evidence: { changes: entries.length, files: shown },
    });
  },
};

/** Parses `git status --porcelain=v1 -z`; a rename carries its source as an extra NUL-separated field. */
export function parsePorcelain(out: string): Array<{ code: string; path: string }> {
  const fields = out.split('\0');
  const entries: Array<{ code: string; path: string }> = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    if (field.length < 4) continue;
    const code = field.slice(0, 2).trim();
    entries.push({ code, path: field.slice(3) });
    if (/[RC]/.test(field[0])) i++;
  }
  return entries;
}

/** Both git checks fail the same way outside a repository. */
function notARepo(name: string, cwd: string) {
  return gateResult(name, 'fail', {
    message: `${cwd} is not inside a git repository.`,
    hint: NOT_A_REPO_HINT,
    evidence: { cwd },
  });
}
