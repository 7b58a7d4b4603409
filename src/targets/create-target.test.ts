import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config/resolved.ts';
import { createTarget } from './create-target.ts';

describe('createTarget', () => {
  it('the cloudflare target without CLOUDFLARE_API_TOKEN: a coded error (exit 2) naming the variable', async () => {
    const config = { target: 'cloudflare' } as ResolvedConfig;
    const err = await createTarget(config, { env: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CLOUDFLARE_TOKEN_MISSING', exitCode: 2 });
    expect((err as Error).message).toMatch(/CLOUDFLARE_API_TOKEN/);
  });
});
