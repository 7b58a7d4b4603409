import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { CommandIO } from '../../io/command-io.ts';
import { abortCommand, promoteCommand } from '../commands/promote-abort.ts';
import { rollbackCommand } from '../commands/rollback.ts';
import type { CommandContext, GlobalArgs } from '../define-command.ts';

export const DASHBOARD_ACTIONS = ['promote', 'abort', 'rollback'] as const;
export type DashboardAction = (typeof DASHBOARD_ACTIONS)[number];

/** What a button sends: the reason (required) and, for a rollback in a project of components, which one. */
export interface ActionBody {
  reason?: unknown;
  component?: unknown;
}

const COMMANDS = { promote: promoteCommand, abort: abortCommand, rollback: rollbackCommand };

/**
 * Runs `shipshape promote|abort|rollback --reason R --actor A` itself, in this process, as the dashboard's user
 * (`actor`, resolved once as the CLI resolves it): the same code, so the same `action` events, journals,
 * notifications and job summary lines. Its output goes to the dashboard's terminal too. A rollback puts the last
 * promoted version back (code only, as the command does without --migrations).
 * @returns the command's last line, for the page
 */
export async function runAction(
  action: DashboardAction,
  body: ActionBody,
  ctx: { global: GlobalArgs; io: CommandIO; actor: string },
): Promise<string> {
  if (typeof body.reason !== 'string' || !body.reason.trim())
    throw new ShipshapeError('DASHBOARD_REASON_REQUIRED', { action, status: 400 });
  let said = '';
  const io: CommandIO = {
    ...ctx.io,
    stdout: {
      write(text: string) {
        said += text;
        return ctx.io.stdout.write(text);
      },
      isTTY: false,
    },
  };
  const args: CommandContext['args'] = { reason: body.reason, actor: ctx.actor };
  if (action === 'rollback' && typeof body.component === 'string' && body.component)
    args.component = body.component;
  await COMMANDS[action].handler({
    args,
    positionals: [],
    global: { ...ctx.global, json: false },
    io,
    run: () => Promise.reject(new Error('the dashboard runs no other command')),
  });
  return said.trim().split('\n').at(-1) ?? `${action} done`;
}
