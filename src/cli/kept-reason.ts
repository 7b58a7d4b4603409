import { projectSecrets } from '../config/dev-vars.ts';
import type { ResolvedConfig } from '../config/resolved.ts';
import { redact } from '../redact/redact.ts';

/**
 * `--reason` as it may be kept, redacted once at the boundary: a secret someone pasted into it reaches no journal,
 * control file, platform deployment message, KV audit trail, notification or job summary. Null when blank.
 * @example keptReason(args.reason, io.env, config) // 'token [redacted] leaked'
 */
export function keptReason(
  value: unknown,
  env: Record<string, string | undefined>,
  config: Pick<ResolvedConfig, 'projectDir' | 'worker'>,
): string | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  return redact(value.trim(), env, projectSecrets(config));
}
