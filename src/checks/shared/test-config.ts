import { join } from 'node:path';
import { type ResolvedConfig, unwrittenConfig } from '../../config/resolved.ts';
import type { UserConfigInput } from '../../config/schema.ts';
import { emptyBindings } from '../../config/worker-bindings.ts';
import type { D1Binding, WorkerConfig } from '../../config/worker-config.ts';

/**
 * A ResolvedConfig for the checks' unit tests: the real schema (defaults included) applied to `input`,
 * with a worker rooted at `projectDir`. Not a fake: the same parse the loader runs.
 */
export function testConfig(
  projectDir: string,
  input: UserConfigInput = {},
  worker: Partial<WorkerConfig> & { d1?: D1Binding[] } = {},
): ResolvedConfig {
  return unwrittenConfig(
    projectDir,
    {
      name: 'hello',
      main: join(projectDir, 'src/index.ts'),
      compatibilityDate: '2025-09-01',
      compatibilityFlags: [],
      configPath: join(projectDir, 'wrangler.jsonc'),
      projectDir,
      env: null,
      vars: {},
      d1: [],
      kv: [],
      assets: null,
      versionMetadata: null,
      buildCommand: null,
      bindings: emptyBindings(),
      unsupported: [],
      uploadSourceMaps: false,
      pagesOutputDir: null,
      ...worker,
    },
    input,
  );
}
