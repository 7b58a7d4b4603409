import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../package-root.ts';
import { schemaKeysAt } from './config-issues.ts';
import { configSchema } from './schema.ts';

function leafKeys(path: string[] = []): string[] {
  return schemaKeysAt(configSchema, path).flatMap((key) => {
    const below = leafKeys([...path, key]);
    return below.length ? below : [[...path, key].join('.')];
  });
}

describe('README config reference', () => {
  it('documents every key of the schema', () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Exit codes'));
    const missing = leafKeys().filter((key) => {
      const [head, ...rest] = key.split('.');
      const last = rest.at(-1);
      // Grouped rows such as `analysis.errorRate.critical` / `.high` document their siblings.
      return (
        !section.includes(`\`${key}\``) &&
        !(last && section.includes(`\`.${last}\``) && section.includes(`\`${head}.`))
      );
    });
    expect(missing).toEqual([]);
  });
});
