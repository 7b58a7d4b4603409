import type { ResolvedConfig } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import { resolveActor } from '../../flags/actor.ts';
import { checkConfigValues } from '../../flags/definitions.ts';
import { type EmergencyResult, resumeAll, stopAll } from '../../flags/emergency.ts';
import type { FlagValue } from '../../flags/flag-types.ts';
import { type CommandContext, defineCommand } from '../define-command.ts';
import {
  announceFlagAction,
  changeDetail,
  describeChanges,
  flagReason,
  flagSession,
  stringOption,
  writeJson,
  writeText,
} from './flag-support.ts';

const WHO = { reason: { type: 'string' }, actor: { type: 'string' } } as const;

export const emergencyStopCommand = defineCommand({
  name: 'emergency stop',
  summary: 'the kill switch: set EMERGENCY_STOP (and flags.emergency) so the worker answers 503',
  usage: 'emergency stop --reason TEXT [--actor NAME] [--env NAME] [--json]',
  description: `Sets EMERGENCY_STOP=true plus every flag listed under flags.emergency in shipshape.config.ts, in the
worker's KV. Workers see it within flags.cacheTtl. The values from before are saved so "shipshape emergency
resume" puts them back. The change is audited (see "shipshape flags history").`,
  options: WHO,
  async handler(ctx) {
    if (!stringOption(ctx, 'reason'))
      throw new ShipshapeError('FLAG_REASON_REQUIRED', { command: 'emergency stop' });
    const session = await flagSession(ctx);
    const reason = flagReason(ctx, session.config) as string;
    const extra = checkConfigValues(
      session.definitions,
      session.config.flags.emergency as Record<string, FlagValue>,
      'flags.emergency',
    );
    const actor = await resolveActor(stringOption(ctx, 'actor'), ctx.global.cwd, ctx.io.env);
    const result = await session.withStore((store) =>
      stopAll(store, extra, { actor, reason, now: ctx.io.now() }),
    );
    if (await announceEmergency(ctx, session.config, 'emergency.stop', { actor, reason }, result)) return 0;
    const ttl = Math.ceil(session.config.flags.cacheTtl / 1000);
    writeText(
      ctx.io,
      result.changed
        ? `Emergency stop in force (${actor}: ${reason}):\n${describeChanges(result.entries)}` +
            `Workers answer 503 within ${ttl}s. Undo with: shipshape emergency resume\n`
        : 'Emergency stop was already in force; nothing written.\n',
    );
    return 0;
  },
});

export const emergencyResumeCommand = defineCommand({
  name: 'emergency resume',
  summary: 'lift the emergency stop: EMERGENCY_STOP off, flags back to their values from before',
  usage: 'emergency resume [--reason TEXT] [--actor NAME] [--env NAME] [--json]',
  options: WHO,
  async handler(ctx) {
    const session = await flagSession(ctx);
    const actor = await resolveActor(stringOption(ctx, 'actor'), ctx.global.cwd, ctx.io.env);
    const reason = flagReason(ctx, session.config);
    const result = await session.withStore((store) => resumeAll(store, { actor, reason, now: ctx.io.now() }));
    if (await announceEmergency(ctx, session.config, 'emergency.resume', { actor, reason }, result)) return 0;
    writeText(
      ctx.io,
      result.changed
        ? `Emergency stop lifted by ${actor}:\n${describeChanges(result.entries)}`
        : 'No emergency stop was in force; nothing written.\n',
    );
    return 0;
  },
});

/**
 * Announces a stop or resume that changed something (journal, notifiers, job summary) and, under --json, prints
 * its record: true when the output is written.
 */
async function announceEmergency(
  ctx: CommandContext,
  config: ResolvedConfig,
  action: 'emergency.stop' | 'emergency.resume',
  who: { actor: string; reason: string | null },
  result: EmergencyResult,
): Promise<boolean> {
  if (result.changed)
    await announceFlagAction(ctx, config, { action, ...who, detail: changeDetail(result.entries) });
  if (!ctx.global.json) return false;
  writeJson(ctx.io, 'flags.emergency', {
    state: action === 'emergency.stop' ? 'stopped' : 'running',
    changed: result.changed,
    changes: result.entries,
  });
  return true;
}
