import type { ErrorCode } from '../../errors/catalogue.ts';

/** An answer the control API gives instead of a result: HTTP status plus a coded error the client rebuilds. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly details: Record<string, unknown>,
  ) {
    super(String(details.reason ?? code));
  }
}

/** 400 with a message: an input the control API refuses. */
export function badRequest(operation: string, reason: string): ApiError {
  return new ApiError(400, 'LOCAL_BAD_REQUEST', { operation, reason });
}
