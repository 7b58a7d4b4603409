import {
  ENVIRONMENTS,
  e2eBlock,
  GUESS,
  healthBlock,
  literal,
  ROLLOUT_TO_ROLLBACK,
  type TemplateChecks,
  targetGatesRelease,
} from './init-template-parts.ts';
import type { WorkerConfig } from './worker-config.ts';

export type { TemplateCheck, TemplateChecks } from './init-template-parts.ts';

/**
 * A commented shipshape.config.ts for a worker. It names what the wrangler config already says only in
 * comments, never as keys: the worker's name, entry and bindings stay in wrangler's file. The health and e2e
 * checks are the ones `checks` says the app passes today; suggestions it could not confirm stay commented out.
 * A repository of several deployables gets init-components-template.ts instead.
 */
export function initTemplate(
  worker: WorkerConfig,
  wranglerFile: string,
  checks: TemplateChecks = GUESS,
  buildCommand: string | null = null,
): string {
  const d1 = worker.d1.map(
    (d) =>
      `${d.binding} (${d.databaseName}, migrations in ${d.migrationsDir.replace(`${worker.projectDir}/`, '')})`,
  );
  const kv = worker.kv.map((k) => k.binding);
  const flagsBinding = kv[0];
  return `import { defineConfig } from 'shipshape';

// shipshape reads the worker from ${wranglerFile}: "${worker.name}", entry ${worker.main.replace(`${worker.projectDir}/`, '')}
${d1.length ? `// D1: ${d1.join(', ')}\n` : ''}${kv.length ? `// KV: ${kv.join(', ')}\n` : ''}// Every key below is optional; the values shown are the defaults. "shipshape config" prints the resolved config.
export default defineConfig({
${targetGatesRelease()}${
  buildCommand
    ? `  // The app's own build runs before wrangler bundles its output (its wrangler config names none).
  build: { command: ${literal(buildCommand)} },
`
    : ''
}
  // Phase 3: checks against the new version, pinned by header before it takes traffic.
${healthBlock(checks, '  ')}
${e2eBlock(checks.e2e)}
${ROLLOUT_TO_ROLLBACK}${flagsBinding ? `\n  // Feature flags live in KV binding ${flagsBinding}; EMERGENCY_STOP is always defined.\n  flags: { binding: '${flagsBinding}', definitions: {} },\n` : ''}
${ENVIRONMENTS}});
`;
}
