import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config/resolved.ts';
import { createTarget } from './create-target.ts';

describe('createTarget', () => {
  it('refuses the cloudflare target with a coded error pointing at "local"', async () => {
    const config = { target: 'cloudflare' } as ResolvedConfig;
    const err = await createTarget(config, { env: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TARGET_UNSUPPORTED', exitCode: 2 });
    expect((err as { hint: string }).hint).toMatch(/target: "local"/);
  });
});
