import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/run-cli.ts';
import { loadConfig } from '../config/load.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-cli-'));
  writeFileSync(
    join(dir, 'wrangler.jsonc'),
    '{ "name": "app", "main": "src/index.ts", "compatibility_date": "2025-09-01", "kv_namespaces": [{ "binding": "FLAGS", "id": "k" }] }',
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('shipshape CLI', () => {
  it('lists init and config in --help', async () => {
    const { code, stdout } = await runCli(['--help'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+init\s/m);
    expect(stdout).toMatch(/^\s+config \[--env NAME\]/m);
  });

  it('suggests the nearest command for a typo', async () => {
    const { code, stderr } = await runCli(['confg'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('error USAGE_UNKNOWN_COMMAND');
    expect(stderr).toContain('Did you mean "shipshape config"');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('gives the usage of the command for an unknown flag', async () => {
    const { code, stderr } = await runCli(['config', '--jsn'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--jsn'");
    expect(stderr).toContain('Did you mean --json?');
    expect(stderr).toContain('Usage: config [--env NAME] [--json]');
  });

  it('init writes a config that loads, then refuses to overwrite it', async () => {
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    const text = readFileSync(join(dir, 'shipshape.config.ts'), 'utf8');
    expect(text).toContain("import { defineConfig } from 'shipshape'");
    expect(text).toContain("flags: { binding: 'FLAGS'");
    const config = await loadConfig({ cwd: dir, env: null });
    expect(config.worker.name).toBe('app');
    expect(config.flags.binding).toBe('FLAGS');
    const second = await runCli(['init'], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('CONFIG_EXISTS');
  });

  it('config --json prints one parseable record and nothing else', async () => {
    writeFileSync(join(dir, 'shipshape.config.json'), '{"rollout": {"bake": "30s"}}');
    const { code, stdout } = await runCli(['config', '--json'], { cwd: dir });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]);
    expect(record).toMatchObject({ v: 1, type: 'config', config: { rollout: { bake: 30_000 } } });
  });

  it('a bad config lists every problem and exits 2; --json makes it an error record', async () => {
    writeFileSync(join(dir, 'shipshape.config.json'), '{"target": "aws", "rollout": {"bake": "soon"}}');
    const plain = await runCli(['config'], { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('2 problems');
    expect(plain.stderr).toContain('target: expected one of');
    expect(plain.stderr).toContain('rollout.bake:');
    const json = await runCli(['config', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ type: 'error', code: 'CONFIG_INVALID' });
    expect(json.stderr).toBe('');
  });

  it('a missing config hints at init', async () => {
    const { code, stderr } = await runCli(['config'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('shipshape init');
  });
});
