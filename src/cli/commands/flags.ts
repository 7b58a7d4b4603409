import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { resolveActor } from '../../flags/actor.ts';
import { requireDefinition } from '../../flags/definitions.ts';
import type { FlagValue } from '../../flags/flag-types.ts';
import { parseFlagInput } from '../../flags/parse-input.ts';
import type { FlagState } from '../../flags/store.ts';
import { type CommandContext, type CommandDef, defineCommand } from '../define-command.ts';
import { emergencyResumeCommand, emergencyStopCommand } from './emergency.ts';
import {
  announceFlagAction,
  changeDetail,
  describeChange,
  describeChanges,
  flagReason,
  flagSession,
  formatValue,
  stringOption,
  table,
  writeJson,
  writeText,
} from './flag-support.ts';

const SOURCE: Record<FlagState['source'], string> = {
  default: 'default',
  override: 'kv',
  'invalid-override': 'kv value invalid, default used',
  undefined: 'kv only (not in config)',
};

const listCommand = defineCommand({
  name: 'flags list',
  summary: 'every flag: type, value in force, default, and where the value comes from',
  usage: 'flags list [--env NAME] [--json]',
  async handler(ctx) {
    const session = await flagSession(ctx);
    const flags = await session.withStore((store) => store.list());
    if (ctx.global.json) {
      writeJson(ctx.io, 'flags.list', { key: session.config.flags.key, flags });
      return 0;
    }
    const rows = flags.map((f) => [
      f.name,
      f.type ?? '?',
      formatValue(f.value),
      formatValue(f.default),
      SOURCE[f.source],
    ]);
    writeText(ctx.io, `${table([['NAME', 'TYPE', 'VALUE', 'DEFAULT', 'SOURCE'], ...rows])}\n`);
    return 0;
  },
});

const getCommand = defineCommand({
  name: 'flags get',
  summary: 'one flag: its value in force and where it comes from',
  usage: 'flags get NAME [--env NAME] [--json]',
  positionals: { min: 1, max: 1 },
  async handler(ctx) {
    const session = await flagSession(ctx);
    const name = ctx.positionals[0];
    requireDefinition(session.definitions, name);
    const flag = await session.withStore((store) => store.get(name));
    if (ctx.global.json) writeJson(ctx.io, 'flags.get', { flag });
    else
      writeText(
        ctx.io,
        `${name} = ${formatValue(flag.value)}  (${SOURCE[flag.source]}; default ${formatValue(flag.default)})\n`,
      );
    return 0;
  },
});

async function change(ctx: CommandContext, name: string, text: string | null): Promise<number> {
  const session = await flagSession(ctx);
  const definition = requireDefinition(session.definitions, name);
  // Parse before opening the target: a bad value touches nothing.
  const value: FlagValue | null = text === null ? null : parseFlagInput(name, definition, text);
  const actor = await resolveActor(stringOption(ctx, 'actor'), ctx.global.cwd, ctx.io.env);
  const meta = {
    actor,
    reason: flagReason(ctx, session.config),
    action: text === null ? 'unset' : 'set',
    now: ctx.io.now(),
  } as const;
  const entries = await session.withStore((store) => store.apply({ [name]: value }, meta));
  if (entries.length > 0)
    await announceFlagAction(ctx, session.config, {
      action: text === null ? 'flags.unset' : 'flags.set',
      actor,
      reason: meta.reason,
      detail: changeDetail(entries),
    });
  if (ctx.global.json) {
    writeJson(ctx.io, 'flags.changed', { changed: entries.length > 0, changes: entries });
    return 0;
  }
  const ttl = Math.ceil(session.config.flags.cacheTtl / 1000);
  writeText(
    ctx.io,
    entries.length > 0
      ? `${describeChanges(entries).trimStart()}Workers see it within ${ttl}s.\n`
      : `${name} ${value === null ? 'has no override' : `is already ${formatValue(value)}`}; nothing written.\n`,
  );
  return 0;
}

const WHO = { reason: { type: 'string' }, actor: { type: 'string' } } as const;

const setCommand = defineCommand({
  name: 'flags set',
  summary: 'override a flag in KV (checked against its type, audited)',
  usage: 'flags set NAME VALUE [--reason TEXT] [--actor NAME] [--env NAME] [--json]',
  description: `VALUE is parsed by the flag's type: true/false, a number, a whole percentage 0-100 ("10" or "10%"),
or any string. The actor defaults to git's user.name.`,
  options: WHO,
  positionals: { min: 2, max: 2 },
  handler: (ctx) => change(ctx, ctx.positionals[0], ctx.positionals[1]),
});

const unsetCommand = defineCommand({
  name: 'flags unset',
  summary: 'remove a flag override: its config default applies again',
  usage: 'flags unset NAME [--reason TEXT] [--actor NAME] [--env NAME] [--json]',
  options: WHO,
  positionals: { min: 1, max: 1 },
  handler: (ctx) => change(ctx, ctx.positionals[0], null),
});

const historyCommand = defineCommand({
  name: 'flags history',
  summary: 'who changed which flag, when, from what to what, and why (kept in KV)',
  usage: 'flags history [--flag NAME] [--limit N] [--env NAME] [--json]',
  options: { flag: { type: 'string' }, limit: { type: 'string' } },
  async handler(ctx) {
    const limit = Number(stringOption(ctx, 'limit') ?? '50');
    if (!Number.isInteger(limit) || limit < 1) {
      throw new ShipshapeError('USAGE_BAD_ARGS', {
        command: 'flags history',
        message: '--limit takes a whole number above 0.',
      });
    }
    const session = await flagSession(ctx);
    const only = stringOption(ctx, 'flag');
    const all = await session.withStore((store) => store.history());
    const entries = all.filter((e) => !only || e.flag === only).slice(-limit);
    if (ctx.global.json) {
      writeJson(ctx.io, 'flags.history', { entries });
      return 0;
    }
    if (entries.length === 0) {
      writeText(ctx.io, 'No flag changes recorded.\n');
      return 0;
    }
    const rows = entries.map((e) => [
      e.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      e.actor,
      e.action,
      e.flag,
      describeChange(e),
      e.reason ?? '',
    ]);
    writeText(ctx.io, `${table([['AT', 'ACTOR', 'ACTION', 'FLAG', 'CHANGE', 'REASON'], ...rows])}\n`);
    return 0;
  },
});

/** Every flags and emergency command, registered with one line in commands/index.ts. */
export const flagCommands: CommandDef[] = [
  listCommand,
  getCommand,
  setCommand,
  unsetCommand,
  historyCommand,
  emergencyStopCommand,
  emergencyResumeCommand,
];
