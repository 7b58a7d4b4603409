import { catalogue, type ErrorCode } from './catalogue.ts';
import type { ErrorEntry, ErrorKind } from './error-entry.ts';
import { EXIT } from './exit-codes.ts';

export type { ErrorEntry, ErrorKind };
export { EXIT };

/**
 * The one error type users see. `code` is stable and appears in JSON events, reports and the exit path.
 * @example throw new ShipshapeError('CONFIG_NOT_FOUND', { dir: '/app' })
 */
export class ShipshapeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly kind: ErrorKind;
  readonly exitCode: number;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    const entry = (catalogue[code] as (ctx: Record<string, unknown>) => ErrorEntry)(details);
    super(entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ShipshapeError';
    this.code = code;
    this.hint = entry.hint;
    this.kind = entry.kind ?? 'user';
    this.exitCode = entry.exit ?? defaultExit(this.kind);
    this.details = details;
  }
}

function defaultExit(kind: ErrorKind): number {
  if (kind === 'user') return EXIT.usage;
  return EXIT.failed;
}

/** Wraps anything thrown into a ShipshapeError so every sink can print code, message and hint. */
export function toShipshapeError(err: unknown): ShipshapeError {
  if (err instanceof ShipshapeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ShipshapeError('INTERNAL', { message }, { cause: err });
}
