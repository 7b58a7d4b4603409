import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/demo/copy-example.ts';
import { FAST_CONFIG, prepareApp, type TestApp } from '../support/app.ts';

// The built CLI in a GitHub Actions job: a gate that fails on a dirty tree and on a check that prints a
// .dev.vars secret holding `%` and quotes. The job summary gets the outcome and the phase table, stdout the
// annotations, and the secret reaches neither.

const SECRET = 'gh%41tok"en\'q-9931';
const forms = [
  SECRET,
  JSON.stringify(SECRET).slice(1, -1),
  encodeURIComponent(SECRET),
  SECRET.replace(/%/g, '%25'),
  Buffer.from(SECRET).toString('base64'),
];

let app: TestApp;
let dir: string;
let summaryFile: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(PACKAGE_ROOT, 'bin', 'shipshape.js'), ...args, '--cwd', app.dir],
      {
        env: {
          ...process.env,
          CI: 'true',
          GITHUB_ACTIONS: 'true',
          GITHUB_STEP_SUMMARY: summaryFile,
          GITHUB_SERVER_URL: 'https://github.com',
          GITHUB_REPOSITORY: 'acme/shop',
          GITHUB_RUN_ID: '777',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: out, stderr: err }));
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-gh-e2e-'));
  summaryFile = join(dir, 'step-summary.md');
  writeFileSync(summaryFile, '');
  app = prepareApp({
    ...FAST_CONFIG,
    gates: {
      ...FAST_CONFIG.gates,
      checks: [{ name: 'token, check: leak', command: 'node scripts/leak.mjs' }],
    },
  });
  writeFileSync(
    join(app.dir, 'scripts', 'leak.mjs'),
    'console.error("token=" + process.env.API_TOKEN);\nprocess.exit(1);\n',
  );
  execFileSync('git', ['add', '-A'], { cwd: app.dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'leak'], {
    cwd: app.dir,
  });
  // .dev.vars is ignored by git; README.md is not: the tree is dirty.
  writeFileSync(join(app.dir, '.dev.vars'), `API_TOKEN="${SECRET.replace(/"/g, '\\"')}"\n`);
  appendFileSync(join(app.dir, 'README.md'), '\nuncommitted\n');
}, 60_000);

afterAll(() => {
  app?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('in a GitHub Actions job', () => {
  it('check: annotates the failing gate checks and sums the run up in the job summary, secret hidden', async () => {
    const check = await cli(['check']);
    expect(check.code, check.stdout + check.stderr).toBe(3);
    const annotations = check.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toContainEqual(
      expect.stringMatching(/^::error title=clean tree::1 uncommitted change: \?\? README\.md \(Commit/),
    );
    const leak = annotations.find((l) => l.startsWith('::error title=token%2C check%3A leak::'));
    expect(leak).toMatch(/%0Atoken=\[redacted\]\)$/);

    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).toContain('# Pre-deployment gate: fail (0/5, 2 of ');
    expect(summary).toContain('| # | Phase | Status | Score | Duration | Retries |');
    expect(summary).toMatch(/\| 1 \| Pre-deployment gate \| ✗ fail \| 0\/5 \|/);
    expect(summary).toContain('(https://github.com/acme/shop/actions/runs/777#artifacts)');

    // deploy --dry-run --json: a blocked release heads its summary; stdout stays NDJSON, annotations on stderr.
    const deploy = await cli(['deploy', '--dry-run', '--json']);
    expect(deploy.code, deploy.stderr).toBe(3);
    for (const line of deploy.stdout.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(deploy.stderr).toContain('::error title=clean tree::');
    const both = readFileSync(summaryFile, 'utf8');
    expect(both.startsWith(summary)).toBe(true);
    expect(both.slice(summary.length)).toMatch(/^# Release `r-[^`]+`: blocked · 0\/100 FAILED/);

    const sinks = { checkOut: check.stdout, checkErr: check.stderr, deployErr: deploy.stderr, summary: both };
    for (const [sink, text] of Object.entries(sinks))
      for (const form of forms) expect(text.includes(form), `${sink} holds ${form}`).toBe(false);
  }, 120_000);
});
