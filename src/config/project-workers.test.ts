import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findProjectWorker, projectWorkerDir } from './project-workers.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-workers-'));
  const worker = (path: string, config: Record<string, unknown>) => {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'wrangler.json'), JSON.stringify(config));
  };
  worker('.', { name: 'front' });
  worker('workers/auth', { name: 'auth', env: { staging: {} } });
  worker('node_modules/pkg', { name: 'billing' });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('project workers', () => {
  it('finds a worker of the project by name below the project folder, never in node_modules', () => {
    expect(projectWorkerDir(dir, 'auth')).toBe(join(dir, 'workers/auth'));
    expect(projectWorkerDir(dir, 'billing')).toBeNull();
    expect(projectWorkerDir(dir, 'front')).toBeNull();
  });

  it('maps wrangler environment names: "auth-staging" is auth built with env.staging', () => {
    expect(findProjectWorker(dir, 'auth-staging', 'staging')).toEqual({
      dir: join(dir, 'workers/auth'),
      env: 'staging',
    });
    expect(findProjectWorker(dir, 'auth', 'staging')).toEqual({
      dir: join(dir, 'workers/auth'),
      env: 'staging',
    });
    expect(findProjectWorker(dir, 'auth', null)).toEqual({ dir: join(dir, 'workers/auth'), env: null });
    expect(findProjectWorker(dir, 'auth-production', 'production')).toBeNull();
  });
});
