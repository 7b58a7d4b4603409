import { resolve } from 'node:path';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import type { ParsedConfig } from './schema.ts';
import type { WorkerConfig } from './worker-config.ts';
import { loadWorkerConfig } from './wrangler.ts';

/** One deployable of a release, resolved: its wrangler facts and the components it must follow. */
export interface ResolvedComponent {
  name: string;
  kind: 'worker' | 'pages';
  /** Absolute folder of its wrangler config. */
  dir: string;
  worker: WorkerConfig;
  /** Components released before it: those its service bindings name, plus `after`. */
  dependsOn: string[];
  /**
   * The project's one worker when there is no `components` key: it keeps the project's own local state
   * folders and needs no name anywhere.
   */
  implicit: boolean;
  build: { command: string | null };
  health: ParsedConfig['health'];
  local: ParsedConfig['local'];
}

/**
 * The project's components in release order (a dependency before its dependants; ties keep the written
 * order). Without `components`, the project folder's wrangler config is the one implicit component.
 * @example resolveComponents(parsed, '/repo', null).map((c) => c.name) // ['api', 'web', 'site']
 */
export function resolveComponents(
  parsed: Pick<ParsedConfig, 'components' | 'build' | 'health' | 'local'>,
  projectDir: string,
  env: string | null,
): ResolvedComponent[] {
  if (parsed.components.length === 0) return [implicitComponent(loadWorkerConfig(projectDir, env), parsed)];
  const problems: string[] = [];
  const names = parsed.components.map((c) => c.name);
  const loaded = parsed.components.map((c, index) => {
    const dir = resolve(projectDir, c.dir);
    const worker = loadWorkerConfig(dir, env);
    const detected = worker.pagesOutputDir ? 'pages' : 'worker';
    if (c.kind && c.kind !== detected)
      problems.push(
        `components[${index}] "${c.name}": kind "${c.kind}", but ${worker.configPath} describes a ${detected === 'pages' ? 'Pages project (pages_build_output_dir)' : 'worker (main)'}`,
      );
    if (names.indexOf(c.name) !== index) problems.push(`components[${index}]: "${c.name}" is listed twice`);
    for (const after of c.after)
      if (!names.includes(after))
        problems.push(`components[${index}] "${c.name}": after "${after}", which is not a component`);
    return { spec: c, dir, worker, kind: detected as 'worker' | 'pages' };
  });
  const byWorker = new Map(loaded.map((l) => [l.worker.name, l.spec.name]));
  const components = loaded.map((l, index): ResolvedComponent => {
    const bound = l.worker.bindings.services
      .map((s) => byWorker.get(s.service))
      .filter((n): n is string => n !== undefined && n !== l.spec.name);
    const step = (port: number) => (port === 0 ? 0 : port + 2 * index);
    return {
      name: l.spec.name,
      kind: l.kind,
      dir: l.dir,
      worker: l.worker,
      dependsOn: [...new Set([...bound, ...l.spec.after])],
      implicit: false,
      build: l.spec.build ?? { command: null },
      health: l.spec.health ?? parsed.health,
      local: {
        port: l.spec.local?.port ?? step(parsed.local.port),
        controlPort: l.spec.local?.controlPort ?? step(parsed.local.controlPort),
      },
    };
  });
  if (problems.length === 0) {
    const ordered = releaseOrder(components, problems);
    if (problems.length === 0) return ordered;
  }
  throw new ShipshapeError('COMPONENTS_INVALID', { count: problems.length, list: problems.join('\n  - ') });
}

/** Dependencies first (Kahn's order, stable on the written order); a cycle is a problem naming its members. */
function releaseOrder(components: ResolvedComponent[], problems: string[]): ResolvedComponent[] {
  const done = new Set<string>();
  const ordered: ResolvedComponent[] = [];
  while (ordered.length < components.length) {
    const next = components.find((c) => !done.has(c.name) && c.dependsOn.every((d) => done.has(d)));
    if (!next) {
      const stuck = components.filter((c) => !done.has(c.name)).map((c) => c.name);
      problems.push(
        `components depend on each other in a cycle (${stuck.join(', ')}): service bindings and "after" must form an order`,
      );
      return components;
    }
    done.add(next.name);
    ordered.push(next);
  }
  return ordered;
}

/** A project without `components`: its one worker, with the project's build, health checks and ports. */
export function implicitComponent(
  worker: WorkerConfig,
  parsed: Pick<ParsedConfig, 'build' | 'health' | 'local'>,
): ResolvedComponent {
  return {
    name: worker.name,
    kind: worker.pagesOutputDir ? 'pages' : 'worker',
    dir: worker.projectDir,
    worker,
    dependsOn: [],
    implicit: true,
    build: parsed.build,
    health: parsed.health,
    local: parsed.local,
  };
}

/** The component called `name`, or a clear error listing the known ones. */
export function findComponent(components: ResolvedComponent[], name: string): ResolvedComponent {
  const found = components.find((c) => c.name === name);
  if (!found) throw new ShipshapeError('COMPONENT_UNKNOWN', { name, known: components.map((c) => c.name) });
  return found;
}
