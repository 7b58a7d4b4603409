import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from './wrangler.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-wrangler-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadWorkerConfig', () => {
  it('reads JSONC with comments and trailing commas', () => {
    writeFileSync(
      join(dir, 'wrangler.jsonc'),
      `{
        // the worker
        "name": "api", /* block comment */ "main": "./src/main.ts",
        "compatibility_date": "2025-01-01", "compatibility_flags": ["nodejs_compat"],
        "vars": { "A": "1", "N": 2 },
        "assets": { "directory": "./public", "binding": "ASSETS" },
        "version_metadata": { "binding": "CF_VERSION_METADATA" },
        "d1_databases": [{ "binding": "DB", "database_name": "db", "database_id": "x", "migrations_dir": "sql" }],
      }`,
    );
    const w = loadWorkerConfig(dir);
    expect(w.name).toBe('api');
    expect(w.main).toBe(join(dir, 'src/main.ts'));
    expect(w.compatibilityFlags).toEqual(['nodejs_compat']);
    expect(w.vars).toEqual({ A: '1', N: '2' });
    expect(w.assets).toMatchObject({ directory: join(dir, 'public'), binding: 'ASSETS' });
    expect(w.versionMetadata).toBe('CF_VERSION_METADATA');
    expect(w.d1[0]).toMatchObject({
      binding: 'DB',
      databaseId: 'x',
      migrationsDir: join(dir, 'sql'),
      migrationsTable: 'd1_migrations',
    });
  });

  it('reads TOML and applies an environment as wrangler does', () => {
    writeFileSync(
      join(dir, 'wrangler.toml'),
      `name = "api"
main = "src/index.ts"
compatibility_date = "2025-01-01"
vars = { MODE = "dev" }

[[d1_databases]]
binding = "DB"
database_name = "db"
database_id = "dev-id"

[[kv_namespaces]]
binding = "KV"
id = "kv-dev"

[env.production]
vars = { MODE = "prod" }

[[env.production.d1_databases]]
binding = "DB"
database_name = "db-prod"
database_id = "prod-id"
`,
    );
    const base = loadWorkerConfig(dir);
    expect(base.vars).toEqual({ MODE: 'dev' });
    expect(base.kv).toEqual([{ binding: 'KV', id: 'kv-dev' }]);
    const prod = loadWorkerConfig(dir, 'production');
    expect(prod.name).toBe('api-production');
    expect(prod.vars).toEqual({ MODE: 'prod' });
    expect(prod.d1[0].databaseId).toBe('prod-id');
    // Bindings are not inherited by wrangler environments.
    expect(prod.kv).toEqual([]);
  });

  it('names the file and line of a syntax error', () => {
    writeFileSync(join(dir, 'wrangler.toml'), 'name = "api"\nmain = \n');
    expect(() => loadWorkerConfig(dir)).toThrow(/wrangler\.toml:2/);
  });

  it('lists missing required keys', () => {
    writeFileSync(join(dir, 'wrangler.json'), '{"name": "api"}');
    expect(() => loadWorkerConfig(dir)).toThrow(/"main" is missing.*"compatibility_date" is missing/);
  });

  it('refuses an unknown environment, naming the known ones', () => {
    writeFileSync(
      join(dir, 'wrangler.json'),
      '{"name":"a","main":"i.ts","compatibility_date":"2025-01-01","env":{"staging":{}}}',
    );
    expect(() => loadWorkerConfig(dir, 'prod')).toThrow(
      expect.objectContaining({ code: 'WRANGLER_ENV_UNKNOWN' }),
    );
  });
});
