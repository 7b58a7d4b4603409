import { afterEach, describe, expect, it } from 'vitest';
import type { Target } from '../../targets/target.ts';
import type { CheckResult } from '../check.ts';
import { type TempProject, tempProject } from '../shared/temp-repo.ts';
import { testConfig } from '../shared/test-config.ts';
import { testGateContext } from '../shared/test-context.ts';
import { envCheck } from './env.ts';
import { formatProblem } from './env-format.ts';

let project: TempProject | null = null;
afterEach(() => {
  project?.cleanup();
  project = null;
});

const SMTP = { parts: ['email', 'password', 'host', 'port', 'name'] };
const GOOD_INBOX = 'ann@example.com|s3cret-pass-1|smtp.example.com|587|Ann';

async function run(
  envConfig: Record<string, unknown>,
  env: Record<string, string>,
  target: Target | null = null,
) {
  project = tempProject();
  const config = testConfig(project.dir, { gates: { env: envConfig } });
  const out = await envCheck.run(testGateContext(project.dir, { config, env, target }));
  const results = [out].flat() as CheckResult[];
  return Object.fromEntries(results.map((r) => [r.name, r]));
}

describe('formatProblem', () => {
  it('checks parts and patterns without echoing the value', () => {
    const rule = { ...SMTP, separator: '|' };
    expect(formatProblem(GOOD_INBOX, rule)).toBeNull();
    expect(formatProblem('a@b|pw|host|587', rule)).toBe(
      'expected 5 parts "email|password|host|port|name" separated by "|", got 4',
    );
    expect(formatProblem('a@b||host|587|Ann', rule)).toContain('password');
    const optionalName = { parts: ['email', 'password', 'host', 'port', 'name?'], separator: '|' };
    expect(formatProblem('a@b|pw|host|587', optionalName)).toBeNull();
    expect(formatProblem('a@b|pw|host', optionalName)).toContain('expected 4-5 parts');
    expect(formatProblem('sk-123', { pattern: 'sk-[0-9]+', separator: '|' })).toBeNull();
    expect(formatProblem('xsk-123', { pattern: 'sk-[0-9]+', separator: '|' })).toContain('does not match');
  });
});

describe('envCheck', () => {
  it('fails on missing required, warns on missing optional, names only', async () => {
    const r = await run(
      { required: ['API_KEY', 'DB_URL'], optional: ['DEBUG_MODE'] },
      { API_KEY: 'key-value-123' },
    );
    expect(r['env: required'].status).toBe('fail');
    expect(r['env: required'].message).toContain('DB_URL');
    expect(r['env: required'].evidence.missing).toEqual(['DB_URL']);
    expect(r['env: optional'].status).toBe('warn');
    expect(r['env: optional'].score).toBe(3);
    expect(JSON.stringify(r)).not.toContain('key-value-123');
  });

  it('treats an empty value as missing', async () => {
    const r = await run({ required: ['A'] }, { A: '' });
    expect(r['env: required'].status).toBe('fail');
  });

  it('checks SMTP_INBOX_* formats on every matching value and never leaks them', async () => {
    const bad = 'bob@example.com|hunter2-password|smtp.example.com';
    const r = await run(
      { required: ['SMTP_INBOX_1'], formats: { 'SMTP_INBOX_*': SMTP } },
      { SMTP_INBOX_1: GOOD_INBOX, SMTP_INBOX_2: bad },
    );
    expect(r['env: required'].status).toBe('pass');
    const formats = r['env: formats'];
    expect(formats.status).toBe('fail');
    expect(formats.message).toContain('SMTP_INBOX_2: expected 5 parts');
    expect(formats.evidence.checked).toEqual(['SMTP_INBOX_1', 'SMTP_INBOX_2']);
    const text = JSON.stringify(r);
    expect(text).not.toContain('hunter2-password');
    expect(text).not.toContain('s3cret-pass-1');
  });

  it('counts the target secret list as present; formats of secrets only are not checkable', async () => {
    const target = {
      name: 'cloudflare',
      secretNames: async () => ['SMTP_INBOX_1', 'GROK_API_KEY'],
    } as unknown as Target;
    const r = await run(
      { required: ['GROK_API_KEY', 'SMTP_INBOX_1'], formats: { 'SMTP_INBOX_*': SMTP } },
      {},
      target,
    );
    expect(r['env: required'].status).toBe('pass');
    expect(r['env: formats'].status).toBe('pass');
    expect(r['env: formats'].evidence.unchecked).toEqual(['SMTP_INBOX_1']);
  });

  it('fails on an invalid pattern with the config path', async () => {
    const r = await run({ formats: { TOKEN: { pattern: '([a-z' } } }, { TOKEN: 'abc' });
    expect(r['env: formats'].status).toBe('fail');
    expect(r['env: formats'].message).toContain('gates.env.formats["TOKEN"].pattern');
  });

  it('warns about malformed .dev.vars lines without printing them', async () => {
    project = tempProject({ '.dev.vars': 'A=1\nsecret-looking-garbage\n' });
    const config = testConfig(project.dir);
    const out = [await envCheck.run(testGateContext(project.dir, { config }))].flat();
    const devVars = out.find((x) => x.name === 'env: .dev.vars');
    expect(devVars?.status).toBe('warn');
    expect(devVars?.message).toContain('line 2');
    expect(JSON.stringify(out)).not.toContain('secret-looking-garbage');
  });
});
