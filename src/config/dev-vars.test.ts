import { afterEach, describe, expect, it } from 'vitest';
import { type TempProject, tempProject } from '../checks/shared/temp-repo.ts';
import { gateEnv, parseDevVars, projectSecrets, readDevVars } from './dev-vars.ts';

let project: TempProject | null = null;
afterEach(() => {
  project?.cleanup();
  project = null;
});

describe('parseDevVars', () => {
  it('reads plain, quoted, exported and commented lines', () => {
    const text = [
      '# a comment',
      'PLAIN=value',
      'export EXPORTED = spaced  # trailing comment',
      "SINGLE='lit\\n #eral'",
      'DOUBLE="a\\nb \\"q\\""',
      'EMPTY=',
      'HASH=abc#def',
      'MULTI="line one',
      'line two"',
      '',
    ].join('\n');
    expect(parseDevVars(text)).toEqual({
      vars: {
        PLAIN: 'value',
        EXPORTED: 'spaced',
        SINGLE: 'lit\\n #eral',
        DOUBLE: 'a\nb "q"',
        EMPTY: '',
        HASH: 'abc#def',
        MULTI: 'line one\nline two',
      },
      badLines: [],
    });
  });

  it('reports bad lines by number without their text', () => {
    const out = parseDevVars('GOOD=1\nthis is not a var\nOPEN="never closed\n');
    expect(out.vars).toEqual({ GOOD: '1' });
    expect(out.badLines).toEqual([2, 3]);
  });

  it('handles CRLF and a BOM', () => {
    expect(parseDevVars('\uFEFFA=1\r\nB="2"\r\n').vars).toEqual({ A: '1', B: '2' });
  });
});

describe('readDevVars / gateEnv', () => {
  it('prefers .dev.vars.<env> and lets the process env win', () => {
    project = tempProject({ '.dev.vars': 'A=base\nB=file', '.dev.vars.staging': 'A=staging' });
    expect(readDevVars(project.dir).vars).toEqual({ A: 'base', B: 'file' });
    expect(readDevVars(project.dir, 'staging').vars).toEqual({ A: 'staging' });
    expect(readDevVars(project.dir, 'production').vars.A).toBe('base');
    const env = gateEnv({ B: 'process' }, project.dir);
    expect(env.A).toBe('base');
    expect(env.B).toBe('process');
  });

  it('falls back to .env like wrangler', () => {
    project = tempProject({ '.env': 'FROM_DOTENV=1', '.env.staging': 'FROM_DOTENV=staging' });
    expect(readDevVars(project.dir).vars).toEqual({ FROM_DOTENV: '1' });
    expect(readDevVars(project.dir, 'staging').vars).toEqual({ FROM_DOTENV: 'staging' });
  });

  it('is empty without a file', () => {
    project = tempProject();
    expect(readDevVars(project.dir)).toEqual({ vars: {}, badLines: [], path: null });
  });
});

describe('parseDevVars as wrangler dev reads .dev.vars', () => {
  it('reads plain, quoted, exported and commented lines', () => {
    const text = [
      '# a comment',
      'API_KEY=abc123',
      'export TOKEN="line1\\nline2"',
      "RAW='a # b'",
      'SPACED = value with spaces # trailing',
      'EMPTY=',
      '',
    ].join('\n');
    expect(parseDevVars(text).vars).toEqual({
      API_KEY: 'abc123',
      TOKEN: 'line1\nline2',
      RAW: 'a # b',
      SPACED: 'value with spaces',
      EMPTY: '',
    });
  });
});

describe('projectSecrets', () => {
  it("lists the values of the environment's .dev.vars, for every sink to hide", () => {
    project = tempProject({
      '.dev.vars': 'API_TOKEN=base-secret',
      '.dev.vars.staging': 'API_TOKEN=staging-secret',
    });
    expect(projectSecrets({ projectDir: project.dir, worker: { env: null } })).toEqual(['base-secret']);
    expect(projectSecrets({ projectDir: project.dir, worker: { env: 'staging' } })).toEqual([
      'staging-secret',
    ]);
  });
});
