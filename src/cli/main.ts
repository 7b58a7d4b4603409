import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { projectSecrets } from '../config/dev-vars.ts';
import { ShipshapeError, toShipshapeError } from '../errors/shipshape-error.ts';
import type { CommandIO } from '../io/command-io.ts';
import { commands } from './commands/index.ts';
import { type CommandDef, GLOBAL_OPTIONS, type GlobalArgs } from './define-command.ts';
import { commandHelp, groupHelp, mainHelp } from './help.ts';
import { processIO } from './io.ts';
import { printError } from './print-error.ts';

/**
 * Runs one shipshape invocation in-process and returns its exit code.
 * @example const code = await run(['config', '--json'], { ...processIO(), cwd: '/app' })
 */
export async function run(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const verbose = argv.includes('--verbose');
  const json = argv.includes('--json');
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout.write(mainHelp(commands));
      return 0;
    }
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.stdout.write(`${await packageVersion()}\n`);
      return 0;
    }
    const { command, rest } = findCommand(argv);
    return await runCommand(command, rest, io);
  } catch (err) {
    if (err instanceof GroupHelp) {
      // `shipshape flags` alone lists its subcommands; it is a usage error unless help was asked for.
      const asked = argv.includes('--help') || argv.includes('-h');
      (asked ? io.stdout : io.stderr).write(groupHelp(err.group, commands));
      return asked ? 0 : 2;
    }
    const error = toShipshapeError(err);
    printError(error, io, { json, verbose, secrets: errorSecrets(argv, io) });
    return error.exitCode;
  }
}

function findCommand(argv: string[]): { command: CommandDef; rest: string[] } {
  const words = argv.filter((a) => !a.startsWith('-'));
  for (let n = Math.min(3, words.length); n > 0; n--) {
    const name = words.slice(0, n).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) {
      const rest = [...argv];
      for (const word of words.slice(0, n)) rest.splice(rest.indexOf(word), 1);
      return { command, rest };
    }
  }
  const typed = words.slice(0, 2).join(' ') || argv[0];
  const names = commands.filter((c) => !c.hidden).map((c) => c.name);
  const group = names.filter((n) => n.startsWith(`${words[0]} `));
  if (group.length > 0 && words.length === 1) throw new GroupHelp(words[0]);
  const pool = group.length > 0 ? group : names;
  const suggestion = closest(typed, pool);
  const near = distance(typed, suggestion) <= Math.max(2, Math.floor(typed.length / 3));
  throw new ShipshapeError('USAGE_UNKNOWN_COMMAND', {
    command: typed,
    suggestion: near || group.length > 0 ? suggestion : null,
  });
}

async function runCommand(command: CommandDef, argv: string[], io: CommandIO): Promise<number> {
  const options = { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional.*$/s, '.');
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    const known = Object.keys(options).map((o) => `--${o}`);
    const hint = unknown ? closest(unknown, known) : null;
    throw new ShipshapeError('USAGE_BAD_ARGS', {
      command: command.name,
      message: hint && distance(unknown!, hint) <= 3 ? `${message} Did you mean ${hint}?` : message,
      usage: command.usage,
    });
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  const { min = 0, max = 0 } = command.positionals ?? {};
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    throw new ShipshapeError('USAGE_BAD_ARGS', {
      command: command.name,
      message:
        parsed.positionals.length < min
          ? 'missing argument.'
          : `unexpected argument "${parsed.positionals[max]}".`,
      usage: command.usage,
    });
  }
  const target = values.target as string | undefined;
  if (target !== undefined && target !== 'local' && target !== 'cloudflare') {
    throw new ShipshapeError('USAGE_BAD_ARGS', {
      command: command.name,
      message: `--target "${target}" is not a target: use local or cloudflare.`,
      usage: command.usage,
    });
  }
  const global: GlobalArgs = {
    cwd: resolve(io.cwd, (values.cwd as string | undefined) ?? '.'),
    env: (values.env as string | undefined) ?? io.env.SHIPSHAPE_ENV ?? null,
    target: target ?? null,
    json: Boolean(values.json),
    verbose: Boolean(values.verbose),
    color: !values['no-color'] && !io.env.NO_COLOR && Boolean(io.stdout.isTTY),
  };
  return command.handler({ args: values, positionals: parsed.positionals, global, io, run });
}

/** The project's .dev.vars values, when there is a project: an error message may quote one. */
function errorSecrets(argv: string[], io: CommandIO): string[] {
  const at = argv.indexOf('--cwd');
  const dir = resolve(io.cwd, at >= 0 && argv[at + 1] ? argv[at + 1] : '.');
  try {
    return projectSecrets({ projectDir: dir, worker: { env: null } });
  } catch {
    return [];
  }
}

class GroupHelp extends Error {
  constructor(readonly group: string) {
    super(group);
  }
}

async function packageVersion(): Promise<string> {
  const pkg = await import('../../package.json', { with: { type: 'json' } });
  return pkg.default.version;
}
