import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProjectConfig, openProject } from './project.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-project-'));
  writeFileSync(
    join(dir, 'wrangler.jsonc'),
    '{ "name": "app", "main": "src/index.ts", "compatibility_date": "2025-09-01", "env": { "staging": {} } }',
  );
  writeFileSync(
    join(dir, 'shipshape.config.json'),
    '{"target": "cloudflare", "environments": {"staging": {"rollout": {"bake": "5s"}}}}',
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('project', () => {
  it('loads the config for --cwd and --env', async () => {
    const config = await loadProjectConfig({ cwd: dir, env: 'staging' });
    expect(config.worker.name).toBe('app-staging');
    expect(config.env).toBe('staging');
    expect(config.rollout.bake).toBe(5000);
  });

  it('opens no target until one is asked for, and closes only what opened', async () => {
    const project = await openProject({ cwd: dir, env: null }, { env: {} });
    expect(project.config.target).toBe('cloudflare');
    // A target that fails to open (no token here) leaves nothing for close() to close.
    await expect(project.target()).rejects.toMatchObject({ code: 'CLOUDFLARE_TOKEN_MISSING' });
    await expect(project.close()).resolves.toBeUndefined();
  });
});
