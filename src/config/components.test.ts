import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { resolveComponents } from './components.ts';
import { configSchema } from './schema.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A project whose folders each hold a wrangler.jsonc; `services` names the workers each binds to. */
function project(folders: Record<string, { services?: string[]; pages?: boolean }>): string {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-components-'));
  for (const [folder, spec] of Object.entries(folders)) {
    mkdirSync(join(dir, folder), { recursive: true });
    const wrangler = {
      name: `shop-${folder}`,
      compatibility_date: '2025-09-01',
      ...(spec.pages ? { pages_build_output_dir: './public' } : { main: 'src/index.ts' }),
      services: (spec.services ?? []).map((s) => ({ binding: s.toUpperCase(), service: `shop-${s}` })),
    };
    writeFileSync(join(dir, folder, 'wrangler.jsonc'), JSON.stringify(wrangler));
  }
  return dir;
}

function resolve(components: unknown[]) {
  const parsed = configSchema.parse({ components });
  return resolveComponents(parsed, dir, null);
}

describe('resolveComponents', () => {
  it('orders components by their service bindings, dependencies first, and detects Pages', () => {
    project({ web: { services: ['api'] }, site: { pages: true }, api: {} });
    const resolved = resolve([
      { name: 'web', dir: 'web' },
      { name: 'site', dir: 'site' },
      { name: 'api', dir: 'api' },
    ]);
    expect(resolved.map((c) => c.name)).toEqual(['site', 'api', 'web']);
    expect(resolved.find((c) => c.name === 'web')?.dependsOn).toEqual(['api']);
    expect(resolved.find((c) => c.name === 'site')?.kind).toBe('pages');
    // Ports step by two per component in the written order, so each local platform has its own.
    expect(resolved.map((c) => c.local.port)).toEqual([8789, 8791, 8787]);
  });

  it('keeps the one implicit worker for a project without components', () => {
    project({ '.': {} });
    const [only] = resolveComponents(configSchema.parse({}), dir, null);
    expect(only).toMatchObject({ name: 'shop-.', dir, implicit: true, kind: 'worker', dependsOn: [] });
  });

  it('refuses a cycle, an unknown "after", a repeated name and a wrong kind, all at once', () => {
    project({ a: { services: ['b'] }, b: { services: ['a'] }, c: {} });
    const attempt = () =>
      resolve([
        { name: 'a', dir: 'a' },
        { name: 'b', dir: 'b' },
        { name: 'c', dir: 'c', after: ['zzz'], kind: 'pages' },
        { name: 'a', dir: 'c' },
      ]);
    expect(attempt).toThrow(ShipshapeError);
    try {
      attempt();
    } catch (err) {
      const message = (err as ShipshapeError).message;
      expect((err as ShipshapeError).code).toBe('COMPONENTS_INVALID');
      expect(message).toContain('"a" is listed twice');
      expect(message).toContain('after "zzz", which is not a component');
      expect(message).toContain('kind "pages"');
    }
    project({ a: { services: ['b'] }, b: { services: ['a'] } });
    expect(() =>
      resolve([
        { name: 'a', dir: 'a' },
        { name: 'b', dir: 'b' },
      ]),
    ).toThrow(/cycle \(a, b\)/);
  });
});
