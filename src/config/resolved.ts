import { join } from 'node:path';
import { implicitComponent, type ResolvedComponent } from './components.ts';
import { configSchema, type ParsedConfig, type UserConfigInput } from './schema.ts';
import type { WorkerConfig } from './worker-config.ts';

/**
 * The config a release runs with: schema defaults applied, the `--env` layer merged, durations in
 * milliseconds, and the worker's own facts read from its wrangler config (never repeated in ours).
 */
export interface ResolvedConfig extends Omit<ParsedConfig, 'environments' | 'components'> {
  /** The environment applied, or null for the base config. */
  env: string | null;
  /** Environments the config defines. */
  environments: string[];
  /** Absolute path of shipshape.config.ts / .json. */
  configPath: string;
  projectDir: string;
  /**
   * The worker this config acts on: the project's one worker, or in a project with `components` the component
   * being released (see `forComponent`; the first in release order until one is chosen).
   */
  worker: WorkerConfig;
  /** Every component in release order; one implicit component for a project without `components`. */
  components: ResolvedComponent[];
  /** The component `worker` belongs to. */
  component: ResolvedComponent;
}

/**
 * The name a project's lock and release history go by: its first component's worker, whichever component a
 * command acts on (one lock for a release of several components).
 */
export function projectWorker(config: ResolvedConfig): string {
  return config.components[0].worker.name;
}

/**
 * The component name events and state carry: none for a project's one implicit worker (its events read as
 * before), the component's name in a project with components (every component released, even one alone).
 */
export function componentName(config: ResolvedConfig): string | undefined {
  return config.component.implicit ? undefined : config.component.name;
}

/**
 * The same config seen from one component: its worker, build, health checks and local ports. Everything else
 * (gates, rollout, analysis, notify) is the project's.
 */
export function forComponent(config: ResolvedConfig, component: ResolvedComponent): ResolvedConfig {
  return {
    ...config,
    worker: component.worker,
    component,
    build: component.implicit ? config.build : { command: component.build.command ?? config.build.command },
    health: component.health,
    local: component.local,
  };
}

/**
 * A config with no file behind it (a probe, a test): the schema's defaults for `input` around one worker.
 * @example const config = unwrittenConfig('/tmp/app', loadWorkerConfig('/tmp/app'), { local: { port: 0 } })
 */
export function unwrittenConfig(
  projectDir: string,
  worker: WorkerConfig,
  input: UserConfigInput = {},
): ResolvedConfig {
  const { environments: _environments, ...parsed } = configSchema.parse(input);
  const component = implicitComponent(worker, parsed);
  return {
    ...parsed,
    env: null,
    environments: [],
    configPath: join(projectDir, 'shipshape.config.json'),
    projectDir,
    worker: component.worker,
    components: [component],
    component,
  };
}
