import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invokesFunctions, readPagesRoutes, routeRegExp } from './pages-routes.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipshape-routes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function routesFile(value: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('routeRegExp', () => {
  it.each([
    ['/*', '/', true],
    ['/*', '/a/b.css', true],
    ['/', '/', true],
    ['/', '/a', false],
    ['/api/*', '/api', true],
    ['/api/*', '/api/', true],
    ['/api/*', '/api/x/y', true],
    ['/api/*', '/apix', false],
    ['/api*', '/apix', true],
    ['/about', '/about', true],
    ['/about', '/about/', true],
    ['/about', '/about/x', false],
    ['/about/', '/about', true],
    ['/*.css', '/site/a.css', true],
    ['/*.css', '/site/acss', false],
    ['/a+b(c)', '/a+b(c)', true],
  ])('%s matches %s: %s', (rule, path, expected) => {
    expect(routeRegExp(rule).test(path)).toBe(expected);
  });

  it('sends a path to Functions when an include matches and no exclude does', () => {
    const routes = { include: ['/api/*'], exclude: ['/api/static/*'] };
    expect(invokesFunctions(routes, '/api/hello')).toBe(true);
    expect(invokesFunctions(routes, '/api/static/a.txt')).toBe(false);
    expect(invokesFunctions(routes, '/index.html')).toBe(false);
  });
});

describe('readPagesRoutes', () => {
  it('reads include and exclude (exclude optional); null without a file', () => {
    expect(readPagesRoutes(routesFile({ version: 1, include: ['/api/*'] }))).toEqual({
      include: ['/api/*'],
      exclude: [],
    });
    expect(readPagesRoutes(join(dir, 'absent.json'))).toBeNull();
  });

  it.each([
    ['{not json', /JSON/],
    [{ version: 2, include: ['/*'] }, /"version" must be 1/],
    [{ version: 1, include: [] }, /at least one rule/],
    [{ version: 1, include: ['api/*'] }, /must be a path starting with "\/"/],
    [{ version: 1, include: [`/${'a'.repeat(100)}`] }, /101 characters/],
    [{ version: 1, include: Array.from({ length: 101 }, (_, i) => `/r${i}`) }, /101 rules/],
  ])('refuses %j with PAGES_ROUTES_INVALID', (value, reason) => {
    const file = routesFile(value);
    let err: unknown;
    try {
      readPagesRoutes(file);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'PAGES_ROUTES_INVALID', details: { file } });
    expect((err as Error).message).toMatch(reason);
  });
});
