import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { checkUpload } from './control-input.ts';

const project = mkdtempSync(join(tmpdir(), 'shipshape-input-'));
const build = mkdtempSync(join(tmpdir(), 'shipshape-build-'));
mkdirSync(join(project, 'public'));
symlinkSync('/etc', join(project, 'escape'));
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
});

const body = (artifact: Record<string, unknown>, settings: Record<string, unknown> = {}) => ({
  artifact: { worker: 'w', dir: join(build, 'bundle'), mainModule: 'index.js', assetsDir: null, ...artifact },
  settings: { env: null, compatibilityDate: '2025-09-01', d1: [], kv: [], ...settings },
});

function refusal(
  b: Record<string, unknown>,
  env: string | null = null,
): { status: number; code: string } | null {
  try {
    checkUpload(b, project, env);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return { status: (err as ApiError).status, code: (err as ApiError).code };
  }
}

describe('checkUpload', () => {
  it('accepts a build folder or a project folder, with assets in the project', () => {
    expect(refusal(body({}))).toBeNull();
    expect(refusal(body({ dir: join(project, 'dist'), assetsDir: join(project, 'public') }))).toBeNull();
  });

  it('refuses paths outside the project and its build folders, links included', () => {
    for (const artifact of [
      { dir: '/etc' },
      { dir: join(project, '..') },
      { dir: join(project, 'escape') },
      { dir: join(tmpdir(), 'elsewhere') },
      { assetsDir: '/etc' },
    ]) {
      expect(refusal(body(artifact)), JSON.stringify(artifact)).toEqual({
        status: 403,
        code: 'LOCAL_PATH_NOT_ALLOWED',
      });
    }
  });

  it('refuses a main module outside the bundle and malformed fields with 400', () => {
    for (const b of [
      body({ mainModule: '../../etc/passwd' }),
      body({ mainModule: '/etc/passwd' }),
      body({ dir: 42 }),
      body({}, { d1: 'all' }),
      { settings: {} },
    ]) {
      expect(refusal(b)).toEqual({ status: 400, code: 'LOCAL_BAD_REQUEST' });
    }
  });

  it("refuses a version built for another environment than the daemon's", () => {
    expect(refusal(body({}, { env: 'staging' }))).toEqual({ status: 409, code: 'LOCAL_WRONG_ENVIRONMENT' });
    expect(refusal(body({}, { env: 'staging' }), 'staging')).toBeNull();
    expect(refusal(body({}), 'staging')).toEqual({ status: 409, code: 'LOCAL_WRONG_ENVIRONMENT' });
  });
});
