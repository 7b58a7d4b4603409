import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { initTemplate } from '../../config/init-template.ts';
import { findConfigFile } from '../../config/read-config-file.ts';
import { loadWorkerConfig } from '../../config/wrangler.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { reportWrangler } from '../../toolchain/wrangler.ts';
import { defineCommand } from '../define-command.ts';

export const initCommand = defineCommand({
  name: 'init',
  summary: 'write a commented shipshape.config.ts from the wrangler config (never overwrites)',
  usage: 'init',
  async handler({ global, io }) {
    const existing = findConfigFile(global.cwd);
    if (existing) throw new ShipshapeError('CONFIG_EXISTS', { file: existing });
    const worker = loadWorkerConfig(global.cwd, null);
    const file = join(global.cwd, 'shipshape.config.ts');
    if (existsSync(file)) throw new ShipshapeError('CONFIG_EXISTS', { file });
    writeFileSync(file, initTemplate(worker, basename(worker.configPath)), { flag: 'wx' });
    const wrangler = reportWrangler(global.cwd);
    if (global.json)
      io.stdout.write(`${JSON.stringify({ v: 1, type: 'init', file, worker: worker.name, wrangler })}\n`);
    else
      io.stdout.write(
        `wrote ${file} for worker "${worker.name}"\n` +
          `wrangler: ${wrangler.message}${wrangler.hint ? `\n  hint: ${wrangler.hint}` : ''}\n` +
          'next: shipshape config, then shipshape check\n',
      );
    return 0;
  },
});
