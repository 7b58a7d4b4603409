import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/demo/copy-example.ts';
import { type RunningDaemon, runDaemon } from '../../src/targets/local/daemon.ts';
import { connect } from '../../src/targets/local/launcher.ts';
import { FAST_CONFIG } from '../support/app.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { runCli } from '../support/run-cli.ts';

// Small things met on the way (issue 13, item 9), each as a person meets it.

const BIN = join(PACKAGE_ROOT, 'bin', 'shipshape.js');
const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** Runs the built CLI with its stdout closed before it writes, as `| head -1` leaves it. */
function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('stdout closed early (shipshape status | head -1)', () => {
  it('ends quietly, without an EPIPE stack trace', async () => {
    const help = await withClosedStdout(['--help']);
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    const app = copyExample({ git: false });
    try {
      const config = await withClosedStdout(['config', '--cwd', app.dir]);
      expect(config.stderr).toBe('');
      expect(config.code).toBe(0);
      const piped = execFileSync(
        'sh',
        ['-c', `"${process.execPath}" "${BIN}" help deploy | head -1; echo "rc=$?"`],
        {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      expect(piped).toMatch(/^\S.*\nrc=0\n$/);
    } finally {
      app.cleanup();
    }
  });
});

describe('the example keeps local secrets out of git', () => {
  it('ignores .dev.vars in the example and in its copies, so the clean-tree gate stays clean', () => {
    expect(readFileSync(join(PACKAGE_ROOT, 'examples', 'hello-d1', '.gitignore'), 'utf8')).toMatch(
      /^\.dev\.vars$/m,
    );
    const app = copyExample({ git: true });
    try {
      writeFileSync(join(app.dir, '.dev.vars'), 'API_TOKEN=local-secret-value\n');
      writeFileSync(join(app.dir, '.dev.vars.staging'), 'API_TOKEN=staging-secret-value\n');
      expect(execFileSync('git', ['status', '--porcelain'], { cwd: app.dir, encoding: 'utf8' })).toBe('');
    } finally {
      app.cleanup();
    }
  });
});

describe('deploy --dry-run', () => {
  let app: ExampleCopy;
  beforeAll(() => {
    app = copyExample({ git: true, config: FAST_CONFIG });
  });
  afterAll(() => app?.cleanup());

  it('leaves a stopped platform stopped, and exits 3 when the gate would block', async () => {
    expect(await connect(app.dir)).toBeNull();
    const planned = await runCli(['deploy', '--dry-run', '--json'], { cwd: app.dir });
    expect(planned.code, planned.stderr).toBe(0);
    expect(ndjson(planned.stdout).some((e) => e.type === 'plan')).toBe(true);
    expect(await connect(app.dir)).toBeNull();

    writeFileSync(join(app.dir, 'src', 'debug.ts'), 'console.log("left over");\n');
    const blocked = await runCli(['deploy', '--dry-run', '--json'], { cwd: app.dir });
    expect(blocked.code).toBe(3);
    expect(ndjson(blocked.stdout).find((e) => e.type === 'release.finished')?.outcome).toBe('blocked');
    expect(await connect(app.dir)).toBeNull();
    rmSync(join(app.dir, 'src', 'debug.ts'));
  }, 120_000);
});

describe('an applied migration edited afterwards', () => {
  let app: ExampleCopy;
  let daemon: RunningDaemon | undefined;
  const cli = (...argv: string[]) => runCli(argv, { cwd: app.dir });
  const file = () => join(app.dir, 'migrations', '0002_add_item_tags.sql');

  beforeAll(async () => {
    app = copyExample({ git: true, config: FAST_CONFIG });
    daemon = await runDaemon({ projectDir: app.dir, port: 0, controlPort: 0, output: () => {} });
    expect((await cli('migrations', 'apply')).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await daemon?.close();
    app?.cleanup();
  });

  it('migrations status exits 0 when folder and database agree, 3 on an edited file or a gap', async () => {
    expect((await cli('migrations', 'status')).code).toBe(0);
    const original = readFileSync(file(), 'utf8');
    writeFileSync(file(), `${original}-- edited after it was applied\n`);
    const edited = await cli('migrations', 'status');
    expect(edited.code).toBe(3);
    expect(edited.stdout).toContain('0002_add_item_tags.sql');
    writeFileSync(file(), original);
    expect((await cli('migrations', 'status')).code).toBe(0);

    writeFileSync(join(app.dir, 'migrations', '0004_skipped_one.sql'), 'SELECT 1;\n');
    const gap = await cli('migrations', 'status', '--json');
    expect(gap.code).toBe(3);
    expect(ndjson(gap.stdout)[0].problems.map((p: { kind: string }) => p.kind)).toContain('gap');
    rmSync(join(app.dir, 'migrations', '0004_skipped_one.sql'));
  });

  it('check blocks it as deploy would, while the platform runs', async () => {
    const original = readFileSync(file(), 'utf8');
    writeFileSync(file(), `${original}-- edited after it was applied\n`);
    try {
      const check = await cli('check', '--json');
      expect(check.code).toBe(3);
      const migrations = ndjson(check.stdout).find(
        (e) => e.type === 'check.finished' && e.name === 'migrations',
      );
      expect(migrations).toMatchObject({ status: 'fail' });
      expect(migrations.message).toContain('0002_add_item_tags.sql was edited after it was applied');
    } finally {
      writeFileSync(file(), original);
    }
    const clean = await cli('check', '--json');
    const migrations = ndjson(clean.stdout).find(
      (e) => e.type === 'check.finished' && e.name === 'migrations',
    );
    expect(migrations).toMatchObject({ status: 'pass' });
    expect(migrations.message).not.toContain('not compared');
  });
});
