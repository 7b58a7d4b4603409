import { projectSecrets } from '../../config/dev-vars.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { createRedactor } from '../../redact/redact.ts';
import { reportWrangler } from '../../toolchain/wrangler.ts';
import { defineCommand } from '../define-command.ts';
import { loadProjectConfig } from '../project.ts';
import { projectProblems } from '../project-problems.ts';
import { bindingFindings } from './binding-findings.ts';

export const configCommand = defineCommand({
  name: 'config',
  summary: 'print the resolved config (defaults, wrangler values and --env layer applied); validates it',
  usage: 'config [--env NAME] [--json]',
  description: `Durations are shown in milliseconds, as the release uses them. The "worker" section is read from the
wrangler config and is never repeated in shipshape.config.ts. Exit 2 with every problem listed when the config
is invalid, including folders it names that do not exist and badly named migration files.`,
  async handler({ global, io }) {
    const config = await loadProjectConfig(global);
    // What the config names on disk is checked here too, so "config" finds every problem a release would.
    const problems = projectProblems(config);
    if (problems.length > 0) {
      throw new ShipshapeError('CONFIG_INVALID', {
        file: config.configPath,
        count: problems.length,
        problems,
        list: problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
      });
    }
    const wrangler = reportWrangler(config.projectDir);
    const redactor = createRedactor(io.env, projectSecrets(config));
    if (global.json) {
      io.stdout.write(`${JSON.stringify(redactor.value({ v: 1, type: 'config', config, wrangler }))}\n`);
      return 0;
    }
    io.stdout.write(
      `# ${config.configPath}${config.env ? ` (environment ${config.env})` : ''}\n` +
        `# worker "${config.worker.name}" from ${config.worker.configPath}; target ${config.target}\n` +
        `# wrangler: ${wrangler.message}${wrangler.hint ? ` ${wrangler.hint}` : ''}\n` +
        bindingFindings(config.worker.unsupported) +
        `${JSON.stringify(redactor.value(config), null, 2)}\n`,
    );
    return 0;
  },
});
