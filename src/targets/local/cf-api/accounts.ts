import type { CfContext, CfRoute } from './context.ts';
import { AUTHOR } from './state.ts';

function account(ctx: CfContext) {
  return {
    id: ctx.store.state.accountId,
    name: 'shipshape local',
    type: 'standard',
    settings: { enforce_twofactor: false },
    created_on: ctx.platform.startedAt.toISOString(),
  };
}

/** Who the token is: one account, the local platform's (wrangler's `whoami` and account lookup). */
export const accountRoutes: CfRoute[] = [
  { method: 'GET', path: '/accounts', handle: (ctx) => [account(ctx)] },
  { method: 'GET', path: '/accounts/:account', handle: (ctx) => account(ctx) },
  {
    method: 'GET',
    path: '/memberships',
    handle: (ctx) => [{ id: 'local', status: 'accepted', account: account(ctx), roles: ['Administrator'] }],
  },
  { method: 'GET', path: '/user', handle: () => ({ id: 'local', email: AUTHOR }) },
  {
    method: 'GET',
    path: '/user/tokens/verify',
    handle: () => ({ id: 'local', status: 'active' }),
  },
];
