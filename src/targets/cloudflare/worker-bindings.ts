import type { ResolvedConfig } from '../../config/resolved.ts';
import { ShipshapeError } from '../../errors/shipshape-error.ts';
import type { EventBus } from '../../events/bus.ts';
import { buildWorker } from '../build/build.ts';
import type { Artifact, DatabaseDriver, KvStore } from '../target.ts';
import type { CloudflareAccount } from './account.ts';
import { CloudflareApi } from './api-client.ts';
import { CloudflareDatabase, CloudflareKv } from './cloudflare-database.ts';

/** What both Cloudflare targets (a Worker, a Pages project) are opened with. */
export interface CloudflareTargetOptions {
  env: Record<string, string | undefined>;
  bus?: EventBus;
}

/** The first 16 hex of a bundle's sha256: what a version's message can carry (see messageWithBundle). */
const HASH_LENGTH = 16;

/**
 * The bundle the local target runs (a Worker's, or a Pages project's static output and compiled Functions), its
 * hash shortened to what a version's message carries.
 */
export async function cloudflareBuild(
  config: ResolvedConfig,
  env: CloudflareTargetOptions['env'],
): Promise<Artifact> {
  const artifact = await buildWorker(config.worker, env, { command: config.build.command });
  return { ...artifact, hash: artifact.hash.slice(0, HASH_LENGTH) };
}

/** The account's API client as a target uses it: each retry said as a log line on the release's bus. */
export function targetApi(account: CloudflareAccount, bus: EventBus | undefined): CloudflareApi {
  return new CloudflareApi({
    ...account,
    onRetry: ({ operation, attempt, waitMs, reason }) =>
      bus?.emit({
        type: 'log',
        level: 'info',
        message: `Cloudflare API ${operation}: ${reason}; attempt ${attempt + 1} in ${Math.ceil(waitMs / 1000)}s`,
      }),
  });
}

/** The D1 database a Worker or Pages project binds as `binding` (default its first), over the REST API. */
export function boundDatabase(config: ResolvedConfig, api: CloudflareApi, binding?: string): DatabaseDriver {
  const d1 = config.worker.d1;
  const found = binding ? d1.find((d) => d.binding === binding) : d1[0];
  if (!found)
    throw noBinding(
      config,
      'database()',
      'D1',
      binding,
      d1.map((d) => d.binding),
    );
  return new CloudflareDatabase(found, api);
}

/** The KV namespace bound as `binding`, over the REST API. */
export function boundKv(config: ResolvedConfig, api: CloudflareApi, binding: string): KvStore {
  const kv = config.worker.kv;
  const found = kv.find((k) => k.binding === binding);
  if (!found)
    throw noBinding(
      config,
      'kv()',
      'KV',
      binding,
      kv.map((k) => k.binding),
    );
  return new CloudflareKv(found, api);
}

function noBinding(
  config: ResolvedConfig,
  operation: string,
  kind: string,
  binding: string | undefined,
  known: string[],
): ShipshapeError {
  return new ShipshapeError('CLOUDFLARE_NO_BINDING', {
    operation,
    kind,
    binding,
    configPath: config.worker.configPath,
    known: known.join(', '),
  });
}
