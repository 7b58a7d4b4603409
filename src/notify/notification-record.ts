import type { ResolvedConfig } from '../config/resolved.ts';

/** The versioned name of what generic webhooks receive; a receiver checks it before reading the rest. */
export const NOTIFICATION_SCHEMA = 'shipshape.notification/v1';

/**
 * What a generic webhook receives for one record: the record itself as --json prints it (`v`, `type`, `ts`,
 * `release` and its fields, so a receiver of earlier versions reads it unchanged), plus `schema`, the `project`
 * it is about and the `report` link when a CI run keeps one.
 * @example notificationRecord({ v: 1, type: 'action', … }, config, null).schema // 'shipshape.notification/v1'
 */
export function notificationRecord(
  record: object,
  config: ResolvedConfig,
  url: string | null,
): Record<string, unknown> {
  return {
    schema: NOTIFICATION_SCHEMA,
    ...record,
    project: { worker: config.worker.name, env: config.env },
    report: url,
  };
}
