import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { routeUrl } from './route-url.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipshape-route-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('routeUrl', () => {
  it('takes the first route whose host is a name, skipping wildcard hosts', () => {
    const path = config(
      'a.jsonc',
      `{ "name": "w", "routes": [{ "pattern": "*.example.com/*", "zone_name": "example.com" },
        { "pattern": "api.example.com/v1/*", "zone_name": "example.com" }] }`,
    );
    expect(routeUrl(path, null)).toBe('https://api.example.com');
  });

  it("reads a custom domain, a single route string, and an environment's own routes", () => {
    expect(
      routeUrl(
        config('b.json', '{"routes": [{"pattern": "shop.example.com", "custom_domain": true}]}'),
        null,
      ),
    ).toBe('https://shop.example.com');
    expect(routeUrl(config('c.toml', 'name = "w"\nroute = "example.org/*"\n'), null)).toBe(
      'https://example.org',
    );
    const envs = config(
      'd.jsonc',
      '{"routes": ["example.com/*"], "env": {"staging": {"routes": ["staging.example.com/*"]}}}',
    );
    expect(routeUrl(envs, 'staging')).toBe('https://staging.example.com');
    expect(routeUrl(envs, null)).toBe('https://example.com');
  });

  it('answers null when no route names a host, or the file cannot be read', () => {
    expect(routeUrl(config('e.jsonc', '{"name": "w", "workers_dev": true}'), null)).toBeNull();
    expect(routeUrl(config('f.jsonc', '{"routes": ["*/*"]}'), null)).toBeNull();
    expect(routeUrl(join(dir, 'missing.jsonc'), null)).toBeNull();
  });
});
