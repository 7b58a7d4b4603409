import { relative } from 'node:path';
import {
  comments,
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

/** One component as init writes it. */
export interface TemplateComponent {
  name: string;
  /** Relative to the project folder, with `/`. */
  dir: string;
  worker: WorkerConfig;
  /** The components it calls through service bindings (what puts it after them). */
  calls: Array<{ component: string; binding: string }>;
  /** The app's own build, when its wrangler config names none (see neededBuild). */
  build: string | null;
  /** What its probe found; without one, a guessed check on `/`. */
  checks?: TemplateChecks;
}

/**
 * A commented shipshape.config.ts for a repository of several deployables: a `components` entry per folder
 * with a wrangler config, in release order, each with the health checks its app passes today. What the wrangler
 * configs say (names, entries, bindings) is written only in comments. The e2e endpoints are those of the last
 * component in release order, which the release runs them through; the other components' answered paths
 * become health checks of their own (not critical: a miss costs points), as only health checks run per component.
 * @example initComponentsTemplate([{ name: 'api', dir: 'api', worker, calls: [], build: null, checks }], ['api/src'])
 */
export function initComponentsTemplate(components: TemplateComponent[], consoleLogPaths: string[]): string {
  const front = components.at(-1);
  const frontChecks = front?.checks ?? GUESS;
  const through =
    components.length > 1
      ? `They go through ${front?.name}, the last component in release order (the front door).`
      : `They go through ${front?.name}.`;
  return `import { defineConfig } from 'shipshape';

${comments(header(components), '')}// Every key below is optional; the values shown are the defaults. "shipshape config" prints the resolved config.
export default defineConfig({
${targetGatesRelease(consoleLogPaths.length ? consoleLogPaths : null)}
  // The deployables, in release order: a component is released, rolled out and at 100% before the components
  // that call it through a service binding take traffic. Phase 3, for each: its own checks against its new
  // version, pinned by header before it takes traffic.
  components: [
${components.map((c) => entry(c, c === front)).join('')}  ],

${e2eBlock(frontChecks.e2e, [through])}
${ROLLOUT_TO_ROLLBACK}
${ENVIRONMENTS}});
`;
}

function header(components: TemplateComponent[]): string[] {
  if (components.length === 1)
    return [
      `This repository releases one component, "${components[0].name}", read from its own wrangler config (its`,
      'name, entry and bindings stay there).',
    ];
  return [
    `This repository releases ${components.length} components together, each read from its own wrangler config`,
    `(names, entries and bindings stay there). Release order, from their service bindings: ${components.map((c) => c.name).join(' → ')}.`,
  ];
}

function entry(c: TemplateComponent, front: boolean): string {
  const at = '      ';
  const lines = [`name: ${literal(c.name)},`, `dir: ${literal(c.dir)},`];
  if (c.build)
    lines.push(
      '// Its own build runs before wrangler bundles its output (its wrangler config names none).',
      `build: { command: ${literal(c.build)} },`,
    );
  if (c.calls.length) {
    const calls = c.calls.map((s) => `${s.component} (service binding ${s.binding})`).join(', ');
    lines.push(`// Calls ${calls}: released after ${c.calls.length === 1 ? 'it' : 'them'}.`);
  }
  const keys = lines.map((l) => `${at}${l}\n`).join('');
  const checks = c.checks ?? GUESS;
  const health = front ? checks : { ...checks, health: [...checks.health, ...checks.e2e] };
  return `${comments(describe(c), '    ')}    {\n${keys}${healthBlock(health, at)}    },\n`;
}

/** What its wrangler config says, as comment lines. */
function describe(c: TemplateComponent): string[] {
  const w = c.worker;
  const rel = (path: string) => relative(w.projectDir, path).split('\\').join('/') || '.';
  const file = `${c.dir}/${relative(w.projectDir, w.configPath)}`;
  const what = w.pagesOutputDir
    ? `Pages project "${w.name}", output ${rel(w.pagesOutputDir)}`
    : `worker "${w.name}", entry ${rel(w.main)}`;
  const d1 = w.d1.map((d) => `${d.binding} (${d.databaseName}, migrations in ${rel(d.migrationsDir)})`);
  const kv = w.kv.map((k) => k.binding);
  const bindings = [d1.length ? `D1: ${d1.join(', ')}` : '', kv.length ? `KV: ${kv.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return [`${file}: ${what}${bindings ? `; ${bindings}` : ''}`];
}
