import type { CommandDef } from './define-command.ts';

const GLOBAL_HELP = `Global options:
  --cwd DIR       run in DIR (the worker project; default: the current folder)
  --env NAME      apply the config's environments.NAME layer (and wrangler's env.NAME)
  --target T      local or cloudflare, over the config's target (e.g. a rehearsal against the local API)
  --json          NDJSON records on stdout, nothing else
  --verbose       evidence for every check, stack traces on errors
  --no-color      plain output even on a terminal
  -h, --help      help for a command
`;

const EXIT_HELP = `Exit codes: 0 ok/promoted, 1 rolled back, 2 usage or config error, 3 blocked by a gate,
            4 rollback failed (a person must act), 5 another release holds the lock, 6 target or internal failure
`;

export function mainHelp(commands: CommandDef[]): string {
  const shown = commands.filter((c) => !c.hidden);
  const lines = shown.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return `shipshape: deploy Cloudflare Workers safely (gate, release, verify, e2e, rollout, score, rollback)

Usage: shipshape <command> [options]

Commands:
${lines.join('\n')}

${GLOBAL_HELP}
${EXIT_HELP}`;
}

/** The subcommands of a group such as `flags` or `local`, one usage line each. */
export function groupHelp(group: string, commands: CommandDef[]): string {
  const members = commands.filter((c) => !c.hidden && c.name.startsWith(`${group} `));
  return `Usage:\n${members.map((c) => `  shipshape ${c.usage}\n      ${c.summary}`).join('\n')}\n`;
}

export function commandHelp(command: CommandDef): string {
  const options = Object.entries(command.options ?? {}).map(([name, spec]) => {
    const value = spec.type === 'string' ? ' VALUE' : '';
    return `  --${name}${value}`;
  });
  return `Usage: shipshape ${command.usage}

${command.summary}
${command.description ? `\n${command.description.trim()}\n` : ''}${options.length ? `\nOptions:\n${options.join('\n')}\n` : ''}
${GLOBAL_HELP}`;
}
