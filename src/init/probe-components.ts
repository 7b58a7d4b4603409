import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { resolveComponents } from '../config/components.ts';
import { configSchema } from '../config/schema.ts';
import { neededBuild } from '../targets/build/build-process.ts';
import type { FoundComponent } from './find-components.ts';
import { probeChecks } from './probe-checks.ts';
import type { SuggestedChecks } from './suggest-checks.ts';

/** A found component placed in the release: its kind, what it follows and whom it calls. */
export interface OrderedComponent extends FoundComponent {
  kind: 'worker' | 'pages';
  /** Components released before it (those its service bindings name). */
  dependsOn: string[];
  calls: Array<{ component: string; binding: string }>;
}

/** An ordered component with the build init writes for it and what its probe found. */
export interface ProbedComponent extends OrderedComponent {
  build: string | null;
  /** Undefined when init was told not to run the apps. */
  checks: SuggestedChecks | undefined;
}

/**
 * The components in release order, computed exactly as loading the written config will compute it (the
 * `components` key through the schema and resolveComponents). They are written by depth (those that call
 * nothing first, then their callers), so the last one, which the e2e endpoints go through, is the one
 * furthest in front; ties keep the path order. A cycle of service bindings throws COMPONENTS_INVALID.
 * @example releaseOrder('/repo', found).map((c) => c.name) // ['api', 'site', 'web']
 */
export function releaseOrder(projectDir: string, found: FoundComponent[]): OrderedComponent[] {
  const depth = new Map<string, number>();
  for (const r of resolved(projectDir, found))
    depth.set(r.name, Math.max(0, ...r.dependsOn.map((d) => (depth.get(d) ?? 0) + 1)));
  const written = [...found].sort((a, b) => (depth.get(a.name) ?? 0) - (depth.get(b.name) ?? 0));
  const byName = new Map(found.map((c) => [c.name, c]));
  const byWorker = new Map(found.map((c) => [c.worker.name, c.name]));
  return resolved(projectDir, written).map((r) => {
    const c = byName.get(r.name) as FoundComponent;
    const calls = c.worker.bindings.services.flatMap((s) => {
      const component = byWorker.get(s.service);
      return component && component !== c.name ? [{ component, binding: s.binding }] : [];
    });
    return { ...c, kind: r.kind, dependsOn: r.dependsOn, calls };
  });
}

/** As loadConfig resolves a written `components` list: ordered, every problem refused at once. */
function resolved(projectDir: string, written: FoundComponent[]) {
  const parsed = configSchema.parse({ components: written.map((c) => ({ name: c.name, dir: c.dir })) });
  return resolveComponents(parsed, projectDir, null);
}

/**
 * Probes each component in turn as `init` probes a single worker (its own throwaway local platform, its own
 * build when its wrangler config names none); `onProbe` is told before each starts. One at a time: each probe
 * starts a workerd.
 */
export async function probeComponents(
  ordered: OrderedComponent[],
  env: Record<string, string | undefined>,
  options: { probe: boolean; onProbe?: (c: OrderedComponent) => void },
): Promise<ProbedComponent[]> {
  const probed: ProbedComponent[] = [];
  for (const c of ordered) {
    const build = neededBuild(c.worker.projectDir, c.worker.main, c.worker.buildCommand);
    if (options.probe) options.onProbe?.(c);
    const checks = options.probe ? await probeChecks(c.worker, env, build) : undefined;
    probed.push({ ...c, build, checks });
  }
  return probed;
}

/** Build output and state: a source folder found there is not the author's. */
const NOT_SOURCE = /(^|\/)(dist|build|out|\.wrangler|node_modules)(\/|$)/;

/**
 * Where each component's own source lives, relative to the project, for `gates.consoleLog.paths`: a worker's
 * entry folder (its `src/` when the entry is a build output), a Pages project's `functions/`.
 * @example sourceFolders('/repo', ordered) // ['api/src', 'web/src', 'site/functions']
 */
export function sourceFolders(projectDir: string, components: FoundComponent[]): string[] {
  const rel = (path: string) => relative(projectDir, path).split(sep).join('/');
  return components.flatMap((c) => {
    const w = c.worker;
    const candidates = w.pagesOutputDir
      ? [w.main]
      : [...(existsSync(w.main) ? [dirname(w.main)] : []), join(w.projectDir, 'src')];
    const found = candidates.find((p) => existsSync(p) && !NOT_SOURCE.test(rel(p)));
    return found ? [rel(found)] : [];
  });
}
