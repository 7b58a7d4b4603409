import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../config/resolved.ts';
import { type PagesDeployment, previewBranch, versionOf } from './pages-project.ts';
import { PagesTarget } from './pages-target.ts';

const deployment = (id: string, commit_message: string): PagesDeployment => ({
  id,
  url: `https://${id.slice(0, 8)}.site.pages.dev`,
  environment: 'production',
  created_on: '2026-12-03T10:00:00Z',
  deployment_trigger: { metadata: { commit_message } },
});

describe('Pages deployments as versions', () => {
  const preview = '0b6f1c2e-8a7d-4f3b-9c1e-2d4a5b6c7d8e';

  it('a production deployment made from a preview is that preview; any other is itself', () => {
    const made = deployment(
      '9f8e7d6c-5b4a-4392-8172-6a5b4c3d2e1f',
      `[of ${preview}] release r1 [bundle 0123456789abcdef]`,
    );
    expect(versionOf(made)).toBe(preview);
    expect(versionOf(deployment(preview, 'release r1 [bundle 0123456789abcdef]'))).toBe(preview);
    expect(versionOf(deployment(preview, 'a user wrote [of something]'))).toBe(preview);
  });

  it('the preview branch is named for the release, in the letters a branch alias keeps', () => {
    expect(previewBranch('20261203T101500Z-A1b2')).toBe('shipshape-20261203t101500z-a1b2');
    expect(previewBranch(undefined)).toBe('shipshape-release');
    expect(previewBranch('x'.repeat(80)).length).toBeLessThanOrEqual(60);
  });
});

describe('PagesTarget refusals (before any call to Cloudflare)', () => {
  // An address nothing listens on: a refusal must come before any request.
  const target = new PagesTarget(
    { target: 'cloudflare', cloudflare: { accountId: 'acc' }, worker: { name: 'site' } } as ResolvedConfig,
    { env: { CLOUDFLARE_API_TOKEN: 'token', CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9/client/v4' } },
  );

  it('a split between two versions: PAGES_SPLIT_UNSUPPORTED naming the split', async () => {
    const err = await target
      .setTraffic([
        { version: 'a', percent: 10 },
        { version: 'b', percent: 90 },
      ])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAGES_SPLIT_UNSUPPORTED' });
    expect((err as Error).message).toContain('a@10% b@90%');
  });

  it('figures per deployment: PAGES_NO_METRICS, never a window of zeros', async () => {
    const err = await target
      .metrics({ version: 'a', since: new Date(0), until: new Date(1000) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PAGES_NO_METRICS' });
  });
});
