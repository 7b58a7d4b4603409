import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult } from '../check.ts';
import { type TempProject, tempProject } from '../shared/temp-repo.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { userCommandCheck } from './user-command.ts';

let project: TempProject | null = null;
afterEach(() => {
  project?.cleanup();
  project = null;
});

async function run(
  command: string,
  options: { timeout?: string; cwd?: string; env?: Record<string, string> } = {},
) {
  project ??= tempProject({ 'sub/marker.txt': 'here' });
  const check = {
    name: 'unit tests',
    command,
    timeout: options.timeout ?? '10s',
    ...(options.cwd ? { cwd: options.cwd } : {}),
  };
  const config = testConfig(project.dir, { gates: { checks: [check] } });
  const gate = userCommandCheck(config.gates.checks[0]);
  return [
    await gate.run(
      testGateContext(project.dir, { config, env: { PATH: process.env.PATH ?? '', ...options.env } }),
    ),
  ].flat()[0] as CheckResult;
}

describe('userCommandCheck', () => {
  it('passes on exit 0 and keeps the output in evidence', async () => {
    const r = await run('echo all good');
    expect(r.status).toBe('pass');
    expect(r.evidence.output).toBe('all good\n');
  });

  it('runs in the project dir or the configured cwd', async () => {
    expect((await run('cat sub/marker.txt')).status).toBe('pass');
    expect((await run('cat marker.txt', { cwd: 'sub' })).evidence.output).toBe('here');
  });

  it('fails with the exit code and the last 20 lines, secrets redacted', async () => {
    const r = await run(
      'for i in $(seq 1 30); do echo "line $i"; done; echo "token=$API_TOKEN" >&2; exit 4',
      {
        env: { API_TOKEN: 'tok-abcdef-123456' },
      },
    );
    expect(r.status).toBe('fail');
    expect(r.message).toContain('exited with code 4');
    expect(r.hint).toContain('line 30');
    expect(r.hint).toContain('token=[redacted]');
    expect(r.hint).not.toContain('line 10\n');
    expect(r.evidence.output).toContain('line 1\n');
    expect(JSON.stringify(r)).not.toContain('tok-abcdef-123456');
  });

  it('redacts every .dev.vars value, whatever its name', async () => {
    project = tempProject({ '.dev.vars': 'DATABASE_URL=postgres://user:pw@db/app\n' });
    const r = await run('cat .dev.vars; exit 1');
    expect(r.hint).toContain('DATABASE_URL=[redacted]');
    expect(JSON.stringify(r)).not.toContain('user:pw');
  });

  it('stops a command at its timeout and says so', async () => {
    const r = await run('echo started; sleep 30', { timeout: '300ms' });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('timed out after 300ms');
    expect(r.evidence.timedOut).toBe(true);
    expect(r.hint).toContain('started');
  });
});
