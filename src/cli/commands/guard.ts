import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { AccountState } from '../../targets/cloudflare/account-state.ts';
import type { CloudflareApi } from '../../targets/cloudflare/api-client.ts';
import { CloudflareTarget } from '../../targets/cloudflare/cloudflare-target.ts';
import {
  GUARD_NAME,
  GUARD_SCHEDULE,
  type GuardInfo,
  guardInfo,
  installGuard,
  removeGuard,
} from '../../targets/cloudflare/guard/guard-install.ts';
import { PagesTarget } from '../../targets/cloudflare/pages-target.ts';
import { type CommandContext, defineCommand } from '../define-command.ts';
import { openProject } from '../project.ts';

const NAME_OPTION = { name: { type: 'string' } } as const;

const ABOUT = `The guard is a Worker with a cron trigger in your Cloudflare account. A release on target cloudflare
with cloudflare.state leaves in its lease the version each Worker returns to; when the deploying runner dies
(killed, its machine suspended) and the lease lapses (rollback.guard, default 30s), the guard's next run takes the
lease over (the runner, if it wakes, is refused), puts that version back at 100%, sets rollback.flags and records
it. The next shipshape command from any runner (deploy, rollback, recover --lapsed) completes the rest: the
rollback hooks, health re-check, notice and journal. Without the guard, a dead runner's canary keeps its share
until such a command runs.`;

export const guardInstallCommand = defineCommand({
  name: 'guard install',
  summary: "install the account's guard: a cron Worker that restores a release whose runner died",
  usage: 'guard install [--name NAME] [--schedule CRON] [--token-env VAR] [--env NAME] [--json]',
  description: `${ABOUT}

Uploads the guard (named --name, default ${GUARD_NAME}) with its cron trigger (--schedule, default every minute)
and records it in the state database. It calls the API with the token in --token-env (default
CLOUDFLARE_API_TOKEN), kept as the Worker's secret: it needs D1 edit, Workers Scripts edit and, for
rollback.flags, Workers KV Storage edit. Installing again
replaces it.`,
  options: { ...NAME_OPTION, schedule: { type: 'string' }, 'token-env': { type: 'string' } },
  async handler(ctx) {
    const variable = stringArg(ctx, 'token-env') ?? 'CLOUDFLARE_API_TOKEN';
    const token = ctx.io.env[variable]?.trim();
    if (!token) throw new ShipshapeError('GUARD_TOKEN_MISSING', { variable });
    return withAccount(ctx, 'install', async (api, state) => {
      const info = await installGuard(api, state, {
        name: stringArg(ctx, 'name') ?? GUARD_NAME,
        schedule: stringArg(ctx, 'schedule') ?? GUARD_SCHEDULE,
        token,
      });
      print(
        ctx,
        info,
        `installed ${info.name} (${info.schedule ?? 'no schedule'}); it reads the leases in ${state.where}`,
      );
      return 0;
    });
  },
});

export const guardStatusCommand = defineCommand({
  name: 'guard status',
  summary: "whether the account's guard is installed, and what its last run did",
  usage: 'guard status [--name NAME] [--env NAME] [--json]',
  description: `${ABOUT}

Exit 0 when the guard is installed, 1 when it is not.`,
  options: { ...NAME_OPTION },
  async handler(ctx) {
    return withAccount(ctx, 'status', async (api, state) => {
      const info = await guardInfo(api, state, stringArg(ctx, 'name') ?? GUARD_NAME);
      print(ctx, info, describe(info));
      return info.installed ? 0 : 1;
    });
  },
});

export const guardRemoveCommand = defineCommand({
  name: 'guard remove',
  summary: "delete the account's guard Worker",
  usage: 'guard remove [--name NAME] [--env NAME] [--json]',
  description: `Deletes the guard's Worker and its record in the state database. Releases keep their leases; a dead
runner's release is then recovered only by the next shipshape command.`,
  options: { ...NAME_OPTION },
  async handler(ctx) {
    return withAccount(ctx, 'remove', async (api, state) => {
      const name = stringArg(ctx, 'name') ?? GUARD_NAME;
      const removed = await removeGuard(api, state, name);
      const line = { v: 1, type: 'guard', name, removed };
      ctx.io.stdout.write(
        ctx.global.json
          ? `${JSON.stringify(line)}\n`
          : `${removed ? `removed ${name}` : `${name} was not installed`}\n`,
      );
      return 0;
    });
  },
});

/** `shipshape guard install|status|remove`. */
export const guardCommands = [guardInstallCommand, guardStatusCommand, guardRemoveCommand];

async function withAccount(
  ctx: CommandContext,
  action: string,
  run: (api: CloudflareApi, state: AccountState) => Promise<number>,
): Promise<number> {
  const project = await openProject(ctx.global, ctx.io);
  try {
    const target = await project.target();
    if (!(target instanceof CloudflareTarget || target instanceof PagesTarget))
      throw new ShipshapeError('GUARD_NEEDS_STATE', {
        action,
        why: `the target is ${target.name} (its local platform recovers a lapsed release by itself)`,
      });
    if (!target.releaseStore)
      throw new ShipshapeError('GUARD_NEEDS_STATE', { action, why: 'cloudflare.state is not set' });
    return await run(target.api, target.releaseStore);
  } finally {
    await project.close();
  }
}

function stringArg(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.args[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function describe(info: GuardInfo): string {
  if (!info.installed)
    return `${info.name} is not installed: a dead runner's release waits for the next command`;
  const last = info.lastResult;
  const ran = last
    ? `last run ${last.at}: ${last.restored.length} restored${last.failed.length ? `, ${last.failed.length} failing (${last.failed.map((f) => `${f.release}: ${f.error}`).join('; ')})` : ''}`
    : 'it has not run yet';
  return `${info.name} is installed (${info.schedule ?? 'no schedule'}); ${ran}`;
}

function print(ctx: CommandContext, info: GuardInfo, text: string): void {
  ctx.io.stdout.write(
    ctx.global.json ? `${JSON.stringify({ v: 1, type: 'guard', ...info })}\n` : `${text}\n`,
  );
}
