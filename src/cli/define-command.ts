import type { ParseArgsConfig } from 'node:util';
import type { CommandIO } from '../io/command-io.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  cwd: { type: 'string' },
  env: { type: 'string' },
  target: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
} as const satisfies OptionSpec;

export interface GlobalArgs {
  cwd: string;
  env: string | null;
  /** `--target`: overrides the config's `target` (a rehearsal of a Cloudflare release against the local API). */
  target: 'local' | 'cloudflare' | null;
  json: boolean;
  verbose: boolean;
  color: boolean;
}

export interface CommandContext {
  /** Parsed option values (strings, booleans, or arrays for `multiple`). */
  args: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  global: GlobalArgs;
  io: CommandIO;
  /** Runs another shipshape invocation in-process, as `main` does (the demo deploys through the CLI itself). */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/**
 * A command is data plus a handler (as wrangler's createCommand and citty's defineCommand): the CLI parses,
 * the library does the work. `name` may have spaces for subcommands, e.g. "local start".
 */
export interface CommandDef {
  name: string;
  summary: string;
  /** One usage line without the leading "shipshape". */
  usage: string;
  /** Longer help text: what it does, options, examples. */
  description?: string;
  options?: OptionSpec;
  positionals?: { min?: number; max?: number };
  /** Hidden commands work but are not listed in --help (internal entry points). */
  hidden?: boolean;
  handler(ctx: CommandContext): Promise<number>;
}

export function defineCommand(def: CommandDef): CommandDef {
  return def;
}
