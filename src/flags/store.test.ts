import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { KvStore } from '../targets/target.ts';
import { createRuntime } from '../toolchain/miniflare.ts';
import {
  checkConfigValues,
  type FlagsConfig,
  flagBinding,
  flagDefinitions,
  requireDefinition,
} from './definitions.ts';
import { resumeAll, stopAll } from './emergency.ts';
import { AUDIT_LIMIT } from './flag-types.ts';
import { miniflareKvStore } from './kv-test-support.ts';
import { openFlagStore } from './open-store.ts';
import { parseFlagInput } from './parse-input.ts';
import { applyRollbackFlags } from './rollback-flags.ts';
import type { FlagStore } from './store.ts';

const parsed = configSchema.parse({
  flags: {
    definitions: {
      SEND_EMAILS_ENABLED: { type: 'boolean', default: true },
      MAX_EMAILS_PER_RUN: { type: 'number', default: 5 },
      NEW_EMAIL_TEMPLATE_ENABLED: { type: 'boolean', default: false },
      GREETING: { type: 'string', default: 'hello' },
      CHECKOUT_ROLLOUT: { type: 'percentage', default: 0 },
    },
    emergency: { SEND_EMAILS_ENABLED: false },
  },
  rollback: { flags: { NEW_EMAIL_TEMPLATE_ENABLED: false } },
});
const config: FlagsConfig = {
  ...parsed,
  worker: { name: 'app', kv: [{ binding: 'FLAGS', id: 'flags-store-test' }] },
};

let mf: Miniflare;
let kv: KvStore;
let store: FlagStore;
const meta = { actor: 'tester', reason: 'test', action: 'set' as const };
const target = { kv: () => kv };

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | null> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
    return null;
  } catch (err) {
    return err instanceof ShipshapeError ? err.code : `not coded: ${String(err)}`;
  }
}

beforeAll(async () => {
  mf = createRuntime({
    modules: true,
    script: 'export default { fetch: () => new Response("ok") }',
    kvNamespaces: { FLAGS: 'flags-store-test' },
  });
  kv = await miniflareKvStore(mf, 'FLAGS');
});
afterAll(async () => {
  await mf?.dispose();
});
beforeEach(async () => {
  for (const key of await kv.list()) await kv.delete(key);
  store = openFlagStore(config, target);
});

describe('FlagStore', () => {
  it('lists defaults (EMERGENCY_STOP included) when KV is empty', async () => {
    const flags = await store.list();
    expect(flags.map((f) => [f.name, f.value, f.source])).toContainEqual([
      'EMERGENCY_STOP',
      false,
      'default',
    ]);
    expect(flags.find((f) => f.name === 'MAX_EMAILS_PER_RUN')).toMatchObject({ value: 5, source: 'default' });
  });

  it('writes overrides as one JSON document merged over defaults, and audits each change', async () => {
    await store.apply({ MAX_EMAILS_PER_RUN: 20, CHECKOUT_ROLLOUT: 10 }, meta);
    expect(JSON.parse((await kv.get('feature_flags'))!)).toEqual({
      MAX_EMAILS_PER_RUN: 20,
      CHECKOUT_ROLLOUT: 10,
    });
    expect(await store.get('MAX_EMAILS_PER_RUN')).toMatchObject({
      value: 20,
      source: 'override',
      default: 5,
    });
    await store.apply({ MAX_EMAILS_PER_RUN: null }, { ...meta, action: 'unset' });
    expect(await store.get('MAX_EMAILS_PER_RUN')).toMatchObject({ value: 5, source: 'default' });
    const history = await store.history();
    expect(history.map((e) => [e.flag, e.old, e.new, e.action])).toEqual([
      ['MAX_EMAILS_PER_RUN', null, 20, 'set'],
      ['CHECKOUT_ROLLOUT', null, 10, 'set'],
      ['MAX_EMAILS_PER_RUN', 20, null, 'unset'],
    ]);
    expect(history[0]).toMatchObject({ actor: 'tester', reason: 'test' });
  });

  it('skips changes that alter nothing', async () => {
    await store.apply({ GREETING: 'hi' }, meta);
    expect(await store.apply({ GREETING: 'hi' }, meta)).toEqual([]);
    expect(await store.history()).toHaveLength(1);
  });

  it('bounds the audit list', async () => {
    const old = Array.from({ length: AUDIT_LIMIT }, (_, i) => ({ at: `t${i}`, flag: 'GREETING' }));
    await kv.put('feature_flags:audit', JSON.stringify(old));
    await store.apply({ GREETING: 'newest' }, meta);
    const history = await store.history();
    expect(history).toHaveLength(AUDIT_LIMIT);
    expect(history.at(-1)).toMatchObject({ new: 'newest' });
    expect(history[0].at).toBe('t1');
  });

  it('reports a document that is not valid JSON with its key and never overwrites it', async () => {
    await kv.put('feature_flags', '{"GREETING": "hi",');
    expect(await codeOf(store.list())).toBe('FLAG_DOCUMENT_INVALID');
    expect(await codeOf(store.apply({ GREETING: 'x' }, meta))).toBe('FLAG_DOCUMENT_INVALID');
    expect(await kv.get('feature_flags')).toBe('{"GREETING": "hi",');
    const err = await store.list().catch((e: ShipshapeError) => e);
    expect((err as ShipshapeError).message).toContain('"feature_flags"');
  });

  it('refuses to write flags when the audit list is corrupt', async () => {
    await kv.put('feature_flags:audit', '{"not": "a list"}');
    expect(await codeOf(store.apply({ GREETING: 'x' }, meta))).toBe('FLAG_DOCUMENT_INVALID');
    expect(await kv.get('feature_flags')).toBeNull();
  });

  it('keeps names stored in KV that config no longer defines', async () => {
    await kv.put('feature_flags', JSON.stringify({ OLD_FLAG: 1, GREETING: 42 }));
    const flags = await store.list();
    expect(flags.find((f) => f.name === 'OLD_FLAG')).toMatchObject({ source: 'undefined', value: 1 });
    expect(flags.find((f) => f.name === 'GREETING')).toMatchObject({
      source: 'invalid-override',
      value: 'hello',
    });
    await store.apply({ MAX_EMAILS_PER_RUN: 1 }, meta);
    expect(JSON.parse((await kv.get('feature_flags'))!)).toMatchObject({ OLD_FLAG: 1 });
  });
});

describe('input checks', () => {
  const defs = flagDefinitions(config);
  it('parses values by type', () => {
    expect(parseFlagInput('A', defs.SEND_EMAILS_ENABLED, 'FALSE')).toBe(false);
    expect(parseFlagInput('A', defs.MAX_EMAILS_PER_RUN, '-2.5')).toBe(-2.5);
    expect(parseFlagInput('A', defs.CHECKOUT_ROLLOUT, '25%')).toBe(25);
    expect(parseFlagInput('A', defs.GREETING, ' spaced ')).toBe(' spaced ');
  });

  it.each([
    ['SEND_EMAILS_ENABLED', 'yes'],
    ['MAX_EMAILS_PER_RUN', '12abc'],
    ['MAX_EMAILS_PER_RUN', ''],
    ['CHECKOUT_ROLLOUT', '101'],
    ['CHECKOUT_ROLLOUT', '-1'],
    ['CHECKOUT_ROLLOUT', '12.5'],
  ])('rejects %s=%j with FLAG_BAD_VALUE', async (name, text) => {
    expect(await codeOf(() => parseFlagInput(name, defs[name], text))).toBe('FLAG_BAD_VALUE');
  });

  it('suggests the nearest name for an unknown flag', () => {
    const err = (() => {
      try {
        requireDefinition(defs, 'SEND_EMAIL_ENABLED');
      } catch (e) {
        return e as ShipshapeError;
      }
    })();
    expect(err?.code).toBe('FLAG_UNKNOWN');
    expect(err?.hint).toContain('"SEND_EMAILS_ENABLED"');
  });

  it('checks config values and the binding', async () => {
    expect(await codeOf(() => checkConfigValues(defs, { CHECKOUT_ROLLOUT: 200 }, 'flags.emergency'))).toBe(
      'FLAG_CONFIG_VALUE',
    );
    expect(await codeOf(() => checkConfigValues(defs, { NOPE: true }, 'rollback.flags'))).toBe(
      'FLAG_CONFIG_VALUE',
    );
    const noKv = { ...config, worker: { name: 'app', kv: [] } };
    expect(await codeOf(() => flagBinding(noKv))).toBe('FLAG_NO_KV');
    expect(flagBinding(config)).toBe('FLAGS');
  });
});

describe('emergency stop and resume', () => {
  it('sets EMERGENCY_STOP and the emergency flags, then restores what was there before', async () => {
    await store.apply({ SEND_EMAILS_ENABLED: true, GREETING: 'hi' }, meta);
    const stop = await stopAll(
      store,
      { SEND_EMAILS_ENABLED: false },
      { actor: 'oncall', reason: 'incident' },
    );
    expect(stop.changed).toBe(true);
    expect(JSON.parse((await kv.get('feature_flags'))!)).toEqual({
      SEND_EMAILS_ENABLED: false,
      GREETING: 'hi',
      EMERGENCY_STOP: true,
    });
    const again = await stopAll(store, { SEND_EMAILS_ENABLED: false }, { actor: 'oncall', reason: 'again' });
    expect(again.changed).toBe(false);
    const resume = await resumeAll(store, { actor: 'oncall', reason: 'fixed' });
    expect(resume.changed).toBe(true);
    expect(JSON.parse((await kv.get('feature_flags'))!)).toEqual({
      SEND_EMAILS_ENABLED: true,
      GREETING: 'hi',
    });
    expect(await kv.get('feature_flags:emergency')).toBeNull();
    expect((await store.history()).map((e) => e.action)).toContain('emergency-resume');
    expect((await resumeAll(store, { actor: 'oncall', reason: null })).changed).toBe(false);
  });
});

describe('applyRollbackFlags', () => {
  it('sets rollback.flags with the release id in the audit', async () => {
    await store.apply({ NEW_EMAIL_TEMPLATE_ENABLED: true }, meta);
    const entries = await applyRollbackFlags(config, target, { reason: 'error rate 7%', releaseId: 'r-42' });
    expect(entries).toHaveLength(1);
    expect(await store.get('NEW_EMAIL_TEMPLATE_ENABLED')).toMatchObject({ value: false });
    expect((await store.history()).at(-1)).toMatchObject({ action: 'rollback', release: 'r-42' });
  });

  it('writes nothing when a rollback flag is not defined', async () => {
    const bad = { ...config, rollback: { ...config.rollback, flags: { NEW_TEMPLATE: false } } };
    expect(await codeOf(applyRollbackFlags(bad, target, { reason: 'r', releaseId: 'r-1' }))).toBe(
      'FLAG_CONFIG_VALUE',
    );
    expect(await kv.get('feature_flags')).toBeNull();
  });
});
