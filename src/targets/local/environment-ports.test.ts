import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findComponent } from '../../config/components.ts';
import { loadConfig } from '../../config/load.ts';
import { forComponent } from '../../config/resolved.ts';
import { localPorts } from './environment-ports.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipshape-ports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('localPorts of a component', () => {
  it("uses the component's own ports in production and free ones for an environment that inherits them", async () => {
    writeFileSync(
      join(dir, 'shipshape.config.json'),
      JSON.stringify({
        local: { port: 9100, controlPort: 9101 },
        components: [
          { name: 'api', dir: 'api' },
          { name: 'web', dir: 'web' },
        ],
        environments: { staging: {} },
      }),
    );
    for (const name of ['api', 'web']) {
      mkdirSync(join(dir, name));
      const env = { staging: { name: `${name}-staging` } };
      writeFileSync(
        join(dir, name, 'wrangler.jsonc'),
        JSON.stringify({ name, main: 'src/index.js', compatibility_date: '2025-09-01', env }),
      );
    }
    const ports = async (env: string | null, name: string) => {
      const config = await loadConfig({ cwd: dir, env });
      return localPorts(forComponent(config, findComponent(config.components, name)));
    };
    expect(await ports(null, 'api')).toEqual({ port: 9100, controlPort: 9101 });
    expect(await ports(null, 'web')).toEqual({ port: 9102, controlPort: 9103 });
    expect(await ports('staging', 'web')).toEqual({ port: 0, controlPort: 0 });
  });
});
