import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { createTarget } from '../../src/targets/create-target.ts';
import { type RunningDaemon, runDaemon } from '../../src/targets/local/daemon.ts';
import type { KvStore, Target } from '../../src/targets/target.ts';
import { copyExample, type ExampleCopy } from '../support/example.ts';
import { runCli } from '../support/run-cli.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read as loose JSON in assertions
type Body = Record<string, any>;

// The example app on the real local platform (workerd daemon, router, persisted KV), flags driven by the CLI.
let app: ExampleCopy;
let daemon: RunningDaemon | undefined;
let target: Target;
let kv: KvStore;
const cli = (...argv: string[]) => runCli(argv, { cwd: app.dir });

async function get(path: string): Promise<{ status: number; body: Body }> {
  const res = await target.request(path);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Body };
  } catch {
    return { status: res.status, body: { text } };
  }
}

/** Polls the worker until `check` holds: bounded by twice the example's 5 s cache TTL. */
async function until(path: string, check: (r: { status: number; body: Body }) => boolean) {
  let last = await get(path);
  for (let i = 0; i < 100 && !check(last); i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await get(path);
  }
  return last;
}

beforeAll(async () => {
  app = copyExample({ git: true });
  // The daemon runs in this process on loopback ports the OS picks: no clash with another daemon on 8787.
  daemon = await runDaemon({ projectDir: app.dir, port: 0, controlPort: 0, output: () => {} });
  const config = await loadConfig({ cwd: app.dir, env: null });
  target = await createTarget(config, { env: process.env, autoStart: false });
  const version = await target.upload(await target.build(), { message: 'flags e2e' });
  await target.setTraffic([{ version: version.id, percent: 100 }]);
  kv = target.kv('FLAGS');
}, 180_000);

afterAll(async () => {
  await target?.close();
  await daemon?.close();
  app?.cleanup();
});

describe('shipshape flags on the local platform', () => {
  it('flags set → the worker serves the new value within the cache TTL', async () => {
    expect((await get('/api/greeting?user=ada')).body.variant).toBe('classic');
    const set = await cli(
      'flags',
      'set',
      'NEW_GREETING_ENABLED',
      'true',
      '--reason',
      'launch',
      '--actor',
      'ada',
    );
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('NEW_GREETING_ENABLED: (default) → true');
    const after = await until('/api/greeting?user=ada', (r) => r.body.variant === 'new');
    expect(after.body).toMatchObject({ variant: 'new', flags: { NEW_GREETING_ENABLED: true } });
    const got = await cli('flags', 'get', 'NEW_GREETING_ENABLED', '--json');
    expect(JSON.parse(got.stdout).flag).toMatchObject({ value: true, source: 'override', default: false });
  });

  it('rejects bad input with a coded error and writes nothing', async () => {
    const before = await kv.get('feature_flags');
    const range = await cli('flags', 'set', 'GREETING_ROLLOUT', '120');
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('FLAG_BAD_VALUE');
    const typo = await cli('flags', 'set', 'NEW_GREETING_ENABLE', 'false');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('FLAG_UNKNOWN');
    expect(typo.stderr).toContain('"NEW_GREETING_ENABLED"');
    const type = await cli('flags', 'set', 'NEW_GREETING_ENABLED', 'yes');
    expect(type.stderr).toContain('FLAG_BAD_VALUE');
    expect(await kv.get('feature_flags')).toBe(before);
  });

  it('emergency stop answers 503 with a clear body; resume restores service', async () => {
    const noReason = await cli('emergency', 'stop');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('FLAG_REASON_REQUIRED');
    const stop = await cli('emergency', 'stop', '--reason', 'checkout errors', '--actor', 'oncall');
    expect(stop.code, stop.stderr).toBe(0);
    const stopped = await until('/api/greeting', (r) => r.status === 503);
    expect(stopped).toMatchObject({ status: 503, body: { error: 'emergency_stop' } });
    expect((await get('/health')).body).toMatchObject({ status: 'healthy', emergencyStop: true });
    const resume = await cli('emergency', 'resume', '--actor', 'oncall');
    expect(resume.code, resume.stderr).toBe(0);
    expect((await until('/api/greeting', (r) => r.status === 200)).status).toBe(200);
    expect(JSON.parse((await kv.get('feature_flags')) ?? '{}')).toEqual({ NEW_GREETING_ENABLED: true });
  });

  it('keeps an audit trail in KV that flags history reads', async () => {
    await cli('flags', 'unset', 'NEW_GREETING_ENABLED', '--actor', 'ada');
    const history = await cli('flags', 'history', '--json');
    const entries = JSON.parse(history.stdout).entries as Array<Record<string, unknown>>;
    expect(entries.map((e) => [e.action, e.flag, e.actor])).toEqual([
      ['set', 'NEW_GREETING_ENABLED', 'ada'],
      ['emergency-stop', 'EMERGENCY_STOP', 'oncall'],
      ['emergency-resume', 'EMERGENCY_STOP', 'oncall'],
      ['unset', 'NEW_GREETING_ENABLED', 'ada'],
    ]);
    expect(entries[0]).toMatchObject({ old: null, new: true, reason: 'launch' });
    const list = await cli('flags', 'list');
    expect(list.stdout).toMatch(/EMERGENCY_STOP\s+boolean\s+false\s+false\s+default/);
  });

  it('reports a KV document that is not JSON, with its key, and never overwrites it', async () => {
    await kv.put('feature_flags', '{"NEW_GREETING_ENABLED": tru');
    const res = await cli('flags', 'set', 'GREETING_ROLLOUT', '10');
    expect(res.code).toBe(6);
    expect(res.stderr).toContain('FLAG_DOCUMENT_INVALID');
    expect(res.stderr).toContain('"feature_flags"');
    expect(await kv.get('feature_flags')).toBe('{"NEW_GREETING_ENABLED": tru');
    // The worker fails open: the defaults (or the last values it read) keep serving.
    expect((await get('/api/greeting')).status).toBe(200);
    await kv.delete('feature_flags');
  });
});
