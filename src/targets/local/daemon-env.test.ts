import { describe, expect, it } from 'vitest';
import { daemonEnv } from './daemon-env.ts';

describe('daemonEnv', () => {
  it("keeps what Node, Miniflare and workerd need and drops the shell's secrets", () => {
    const env = daemonEnv({
      PATH: '/usr/bin',
      HOME: '/home/u',
      TMPDIR: '/tmp',
      LC_ALL: 'C.UTF-8',
      MINIFLARE_WORKERD_PATH: '/opt/workerd',
      SHIPSHAPE_CF_API_LAG: '60s',
      CLOUDFLARE_API_TOKEN: 'cf-secret',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      DATABASE_URL: 'postgres://u:p@h/db',
      FAULT: 'crash',
      NODE_OPTIONS: '--require /tmp/evil.js',
      UNSET: undefined,
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      TMPDIR: '/tmp',
      LC_ALL: 'C.UTF-8',
      MINIFLARE_WORKERD_PATH: '/opt/workerd',
      SHIPSHAPE_CF_API_LAG: '60s',
    });
  });
});
