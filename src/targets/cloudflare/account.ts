import type { ResolvedConfig } from '../../config/resolved.ts';
import { readWranglerFile } from '../../config/wrangler.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';

/** Cloudflare's API base when CLOUDFLARE_API_BASE_URL is not set. */
export const DEFAULT_API_BASE = 'https://api.cloudflare.com/client/v4';

/** Where and as whom the target calls Cloudflare, resolved once from the environment and the config. */
export interface CloudflareAccount {
  baseUrl: string;
  token: string;
  accountId: string;
}

/**
 * The token is always CLOUDFLARE_API_TOKEN and the base URL CLOUDFLARE_API_BASE_URL (default Cloudflare's), as
 * wrangler reads them; the account is `cloudflare.accountId`, else CLOUDFLARE_ACCOUNT_ID, else the wrangler config's
 * `account_id` (its environment's first). Refuses with a coded error naming what to set.
 */
export function resolveAccount(
  config: ResolvedConfig,
  env: Record<string, string | undefined>,
): CloudflareAccount {
  const token = env.CLOUDFLARE_API_TOKEN?.trim();
  if (!token) throw new ShipshapeError('CLOUDFLARE_TOKEN_MISSING');
  const accountId =
    config.cloudflare.accountId ?? (env.CLOUDFLARE_ACCOUNT_ID?.trim() || wranglerAccountId(config));
  if (!accountId)
    throw new ShipshapeError('CLOUDFLARE_ACCOUNT_MISSING', {
      reason: `none of cloudflare.accountId, CLOUDFLARE_ACCOUNT_ID or account_id in ${config.worker.configPath} is set`,
    });
  const baseUrl = (env.CLOUDFLARE_API_BASE_URL?.trim() || DEFAULT_API_BASE).replace(/\/+$/, '');
  return { baseUrl, token, accountId };
}

function wranglerAccountId(config: ResolvedConfig): string | null {
  try {
    const raw = readWranglerFile(config.worker.configPath);
    const envBlock = config.worker.env
      ? ((raw.env as Record<string, Record<string, unknown>> | undefined)?.[config.worker.env] ?? {})
      : {};
    const id = envBlock.account_id ?? raw.account_id;
    return typeof id === 'string' && id ? id : null;
  } catch {
    return null;
  }
}

/** The environment wrangler runs with: the account's variables, telemetry off, no colour, never interactive. */
export function wranglerEnv(
  account: CloudflareAccount,
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  return {
    ...env,
    CLOUDFLARE_API_TOKEN: account.token,
    CLOUDFLARE_ACCOUNT_ID: account.accountId,
    CLOUDFLARE_API_BASE_URL:
      account.baseUrl === DEFAULT_API_BASE ? env.CLOUDFLARE_API_BASE_URL : account.baseUrl,
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
}
