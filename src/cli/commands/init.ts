import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { initComponentsTemplate } from '../../config/init-components-template.ts';
import { initTemplate } from '../../config/init-template.ts';
import { findConfigFile } from '../../config/read-config-file.ts';
import { findWranglerConfig, loadWorkerConfig } from '../../config/wrangler.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { type FoundComponent, findComponents, type SkippedConfig } from '../../init/find-components.ts';
import { ignoreState, STATE_ENTRY } from '../../init/ignore-state.ts';
import {
  componentsSummary,
  describeComponent,
  healthLine,
  securityHeadersLine,
} from '../../init/init-summary.ts';
import { probeChecks } from '../../init/probe-checks.ts';
import { probeComponents, releaseOrder, sourceFolders } from '../../init/probe-components.ts';
import type { CommandIO } from '../../io/command-io.ts';
import { neededBuild } from '../../targets/build/build-process.ts';
import { reportWrangler } from '../../toolchain/wrangler.ts';
import { defineCommand, type GlobalArgs } from '../define-command.ts';

export const initCommand = defineCommand({
  name: 'init',
  summary: 'write a commented shipshape.config.ts from the wrangler config and a look at the running app',
  usage: 'init [--no-probe]',
  description: `Reads the worker from its wrangler config, runs it once on a throwaway local platform (a temporary
folder, free ports, its migrations applied to a scratch database; nothing is left running), asks /health,
/healthz, /api/health, / and the routes it finds in the source and the assets' index, and writes the checks
the app passes today. What it could not confirm is written as commented suggestions. Never overwrites.

In a repository with no wrangler config of its own but sub-folders with one (api/, web/, apps/*, packages/*:
one and two levels down; test, fixture and example folders left out), it writes a "components" entry per
folder, probes each in turn the same way and writes each component's own health checks, in release order
(service bindings first); the e2e endpoints are the last component's.

  --no-probe                   do not run the app; write a guessed check on / instead`,
  options: { 'no-probe': { type: 'boolean' } },
  async handler({ args, global, io }) {
    const existing = findConfigFile(global.cwd);
    if (existing) throw new ShipshapeError('CONFIG_EXISTS', { file: existing });
    const file = join(global.cwd, 'shipshape.config.ts');
    if (existsSync(file)) throw new ShipshapeError('CONFIG_EXISTS', { file });
    const probe = !args['no-probe'];
    if (!findWranglerConfig(global.cwd)) {
      const { found, skipped } = findComponents(global.cwd);
      if (found.length > 0) return initComponents(file, found, skipped, { global, io, probe });
      const unreadable = skipped.find((s) => s.error);
      if (unreadable?.error) throw unreadable.error;
    }
    const worker = loadWorkerConfig(global.cwd, null);
    const wrangler = reportWrangler(global.cwd);
    if (!global.json && probe) io.stdout.write(`probing "${worker.name}" on a throwaway local platform…\n`);
    const build = neededBuild(global.cwd, worker.main, worker.buildCommand);
    const checks = probe ? await probeChecks(worker, io.env, build) : undefined;
    writeFileSync(file, initTemplate(worker, basename(worker.configPath), checks, build), { flag: 'wx' });
    const ignored = ignoreState(global.cwd);
    if (global.json) {
      io.stdout.write(
        `${JSON.stringify({ v: 1, type: 'init', file, worker: worker.name, wrangler, build, checks, ignored })}\n`,
      );
      return 0;
    }
    const lines = [`wrote ${file} for worker "${worker.name}"`];
    if (ignored) lines.push(IGNORED_LINE);
    if (build) lines.push(`build: "${build}" runs before wrangler bundles (the app builds its worker)`);
    if (checks) {
      lines.push(...checks.found.map((f) => `  ${f}`));
      lines.push(
        healthLine(checks),
        securityHeadersLine(checks),
        `e2e endpoints: ${checks.e2e.map((c) => c.path).join(', ') || 'none'}`,
      );
    }
    io.stdout.write(`${[...lines, ...closing(wrangler)].join('\n')}\n`);
    return 0;
  },
});

/** A repository of several deployables: one `components` entry per folder, each probed in release order. */
async function initComponents(
  file: string,
  found: FoundComponent[],
  skipped: SkippedConfig[],
  { global, io, probe }: { global: GlobalArgs; io: CommandIO; probe: boolean },
): Promise<number> {
  const say = (line: string) => (global.json ? undefined : io.stdout.write(`${line}\n`));
  say(
    `no wrangler config in ${global.cwd}; found ${found.length} below it: ${found.map((c) => `${c.dir}/`).join(', ')}`,
  );
  const ordered = releaseOrder(global.cwd, found);
  const wrangler = reportWrangler(global.cwd);
  const components = await probeComponents(ordered, io.env, {
    probe,
    onProbe: (c) => say(`probing ${describeComponent(c)} on a throwaway local platform…`),
  });
  const consoleLogPaths = sourceFolders(global.cwd, components);
  writeFileSync(file, initComponentsTemplate(components, consoleLogPaths), { flag: 'wx' });
  const ignored = ignoreState(global.cwd);
  if (global.json) {
    const record = {
      v: 1,
      type: 'init',
      file,
      ignored,
      components: components.map((c) => ({
        name: c.name,
        dir: c.dir,
        kind: c.kind,
        worker: c.worker.name,
        dependsOn: c.dependsOn,
        build: c.build,
        checks: c.checks,
      })),
      order: components.map((c) => c.name),
      consoleLogPaths,
      skipped: skipped.map(({ file, reason }) => ({ file, reason })),
      wrangler,
    };
    io.stdout.write(`${JSON.stringify(record)}\n`);
    return 0;
  }
  const lines = componentsSummary(file, components, skipped, consoleLogPaths);
  if (ignored) lines.push(IGNORED_LINE);
  io.stdout.write(`${[...lines, ...closing(wrangler)].join('\n')}\n`);
  return 0;
}

const IGNORED_LINE = `added ${STATE_ENTRY} to .gitignore (release journals and the local platform's token stay out of git)`;

function closing(wrangler: ReturnType<typeof reportWrangler>): string[] {
  return [
    `wrangler: ${wrangler.message}${wrangler.hint ? `\n  hint: ${wrangler.hint}` : ''}`,
    'next: commit shipshape.config.ts and .gitignore (the gate deploys committed work only), then shipshape deploy',
  ];
}
