import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import { satisfies } from './semver.ts';

/** The wrangler versions shipshape drives (their Miniflare 5 runs the local target); kept in step with package.json. */
export const WRANGLER_RANGE = '>=4.123.0 <5';

/** One wrangler install: where it is, what it is, and whether it can run here. */
export interface WranglerInstall {
  /** Folder holding wrangler's package.json. */
  dir: string;
  version: string;
  /** `app`: the project's own node_modules; `shipshape`: the one shipshape was installed with. */
  source: 'app' | 'shipshape';
  /** wrangler's `engines.node`, e.g. ">=22.12.0". */
  nodeRange: string;
  inRange: boolean;
  runsOnThisNode: boolean;
}

/** The wrangler to use for a project, and what was found in the project itself when that one is not usable. */
export interface WranglerChoice {
  use: WranglerInstall | null;
  /** The project's own wrangler, when it has one (used or not). */
  app: WranglerInstall | null;
}

/**
 * The project's own wrangler when it has one that is in range and runs on this Node, else the one beside
 * shipshape (a peer dependency, so usually the same install). A user expects their own wrangler to bundle.
 */
export function chooseWrangler(projectDir: string): WranglerChoice {
  const app = readInstall(findUp(projectDir), 'app');
  if (app?.inRange && app.runsOnThisNode) return { use: app, app };
  const own = readInstall(resolveFromShipshape(), 'shipshape');
  const use = own && own.dir !== app?.dir && own.inRange && own.runsOnThisNode ? own : null;
  return { use, app };
}

/** `bin/wrangler.js` of an install. */
export function wranglerBin(install: WranglerInstall): string {
  return join(install.dir, 'bin', 'wrangler.js');
}

/** Loads the Miniflare that this wrangler depends on, so the app runs one workerd, not two. */
export function loadMiniflare(install: WranglerInstall): typeof import('miniflare') {
  // From wrangler's real folder: the app's node_modules/wrangler may be a link (npm link, workspaces, test apps).
  return createRequire(join(realpathSync(install.dir), 'package.json'))(
    'miniflare',
  ) as typeof import('miniflare');
}

function findUp(start: string): string | null {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'node_modules', 'wrangler');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function resolveFromShipshape(): string | null {
  try {
    return dirname(createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('wrangler/package.json'));
  } catch {
    return null;
  }
}

function readInstall(dir: string | null, source: WranglerInstall['source']): WranglerInstall | null {
  if (!dir) return null;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version?: string;
      engines?: { node?: string };
    };
    const version = pkg.version ?? '0.0.0';
    const nodeRange = pkg.engines?.node ?? '>=0';
    return {
      dir,
      version,
      source,
      nodeRange,
      inRange: satisfies(version, WRANGLER_RANGE),
      runsOnThisNode: satisfies(process.versions.node, nodeRange),
    };
  } catch {
    return null;
  }
}

/** The wrangler version `npm i -D` should name when none is usable. */
export const WRANGLER_SUGGESTED = '^4.164.0';

/** Why a project's wrangler cannot be used, in the words of the error catalogue; null when it can. */
export function wranglerProblem(choice: WranglerChoice): Record<string, string> | null {
  if (choice.use && choice.use === choice.app) return null;
  const found = choice.app;
  const base = { range: WRANGLER_RANGE, suggest: WRANGLER_SUGGESTED, node: process.versions.node };
  if (found && !found.runsOnThisNode)
    return {
      ...base,
      found: found.version,
      nodeRange: found.nodeRange,
      reason: 'it does not run on this Node',
    };
  if (found && !found.inRange)
    return { ...base, found: found.version, reason: `shipshape supports wrangler ${WRANGLER_RANGE}` };
  return { ...base, reason: 'the project has no wrangler in node_modules' };
}

/** What a person is told about the wrangler a project will build with: at `init`, `config` and `check`. */
export interface WranglerReport {
  status: 'pass' | 'warn' | 'fail';
  message: string;
  hint?: string;
  evidence: { used: string | null; app: string | null; range: string };
}

export function reportWrangler(projectDir: string): WranglerReport {
  const choice = chooseWrangler(projectDir);
  const evidence = {
    used: choice.use ? `${choice.use.version} (${choice.use.source})` : null,
    app: choice.app?.version ?? null,
    range: WRANGLER_RANGE,
  };
  const problem = wranglerProblem(choice);
  if (!problem)
    return { status: 'pass', message: `wrangler ${choice.use?.version}, the project's own.`, evidence };
  const found = choice.app ? `The project's wrangler ${choice.app.version}` : 'The project has no wrangler';
  const why = problem.nodeRange
    ? `needs Node ${problem.nodeRange} (this is Node ${problem.node})`
    : choice.app
      ? `is outside the range shipshape supports (${WRANGLER_RANGE})`
      : `(shipshape supports ${WRANGLER_RANGE})`;
  const fix = `npm i -D wrangler@${WRANGLER_SUGGESTED}`;
  if (!choice.use)
    return { status: 'fail', message: `${found} ${why}; nothing can build it.`, hint: fix, evidence };
  return {
    status: 'warn',
    message: `${found} ${why}: building with shipshape's wrangler ${choice.use.version} instead.`,
    hint: `Install a supported wrangler in the project so builds match your own: "${fix}".`,
    evidence,
  };
}
