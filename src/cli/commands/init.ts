import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { initTemplate } from '../../config/init-template.ts';
import { findConfigFile } from '../../config/read-config-file.ts';
import { loadWorkerConfig } from '../../config/wrangler.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { probeChecks } from '../../init/probe-checks.ts';
import { neededBuild } from '../../targets/local/build-process.ts';
import { reportWrangler } from '../../toolchain/wrangler.ts';
import { defineCommand } from '../define-command.ts';

export const initCommand = defineCommand({
  name: 'init',
  summary: 'write a commented shipshape.config.ts from the wrangler config and a look at the running app',
  usage: 'init [--no-probe]',
  description: `Reads the worker from its wrangler config, runs it once on a throwaway local platform (a temporary
folder, free ports, its migrations applied to a scratch database; nothing is left running), asks /health,
/healthz, /api/health, / and the routes it finds in the source and the assets' index, and writes the checks
the app passes today. What it could not confirm is written as commented suggestions. Never overwrites.

  --no-probe                   do not run the app; write a guessed check on / instead`,
  options: { 'no-probe': { type: 'boolean' } },
  async handler({ args, global, io }) {
    const existing = findConfigFile(global.cwd);
    if (existing) throw new ShipshapeError('CONFIG_EXISTS', { file: existing });
    const worker = loadWorkerConfig(global.cwd, null);
    const file = join(global.cwd, 'shipshape.config.ts');
    if (existsSync(file)) throw new ShipshapeError('CONFIG_EXISTS', { file });
    const wrangler = reportWrangler(global.cwd);
    if (!global.json && !args['no-probe'])
      io.stdout.write(`probing "${worker.name}" on a throwaway local platform…\n`);
    const build = neededBuild(global.cwd, worker.main, worker.buildCommand);
    const checks = args['no-probe'] ? undefined : await probeChecks(worker, io.env, build);
    writeFileSync(file, initTemplate(worker, basename(worker.configPath), checks, build), { flag: 'wx' });
    if (global.json) {
      io.stdout.write(
        `${JSON.stringify({ v: 1, type: 'init', file, worker: worker.name, wrangler, build, checks })}\n`,
      );
      return 0;
    }
    const lines = [`wrote ${file} for worker "${worker.name}"`];
    if (build) lines.push(`build: "${build}" runs before wrangler bundles (the app builds its worker)`);
    if (checks) {
      lines.push(...checks.found.map((f) => `  ${f}`));
      lines.push(
        `health: ${checks.health.map((c) => `GET ${c.path} → ${c.status}${c.json ? ` ${JSON.stringify(c.json)}` : ''}`).join(', ')}${checks.confirmed ? '' : ' (a guess: not confirmed)'}`,
        `security headers: ${checks.securityHeaders.join(', ') || 'none sent today (suggested in a comment)'}`,
        `e2e endpoints: ${checks.e2e.map((c) => c.path).join(', ') || 'none'}`,
      );
    }
    lines.push(
      `wrangler: ${wrangler.message}${wrangler.hint ? `\n  hint: ${wrangler.hint}` : ''}`,
      'next: commit shipshape.config.ts (the gate deploys committed work only), then shipshape deploy',
    );
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
});
