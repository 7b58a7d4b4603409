import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.ts';

const base = { cwd: process.cwd(), env: process.env, timeoutMs: 10_000 };

describe('runCommand', () => {
  it('captures stdout and stderr and the exit code', async () => {
    const r = await runCommand('echo out; echo err >&2; exit 3', base);
    expect(r.exitCode).toBe(3);
    expect(r.output).toContain('out');
    expect(r.output).toContain('err');
    expect(r.timedOut).toBe(false);
  });

  it('passes env and cwd', async () => {
    const r = await runCommand('echo "$GREETING" && pwd', {
      ...base,
      cwd: '/tmp',
      env: { ...process.env, GREETING: 'hi' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.output).toBe('hi\n/tmp\n');
  });

  it('kills the whole process group on timeout', async () => {
    const marker = `shipshape-orphan-${process.pid}-${Date.now()}`;
    const r = await runCommand(`sh -c 'sleep 30; echo ${marker}' & sleep 30`, { ...base, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    const { execFileSync } = await import('node:child_process');
    const ps = execFileSync('ps', ['-eo', 'args']).toString();
    expect(ps).not.toContain(marker);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const r = await runCommand('sleep 30', { ...base, signal: controller.signal });
    expect(r.aborted).toBe(true);
    expect(r.timedOut).toBe(false);
  });
});
