import { randomBytes } from 'node:crypto';
import type { DatabaseDriver, SqlStatement } from '../targets/target.ts';

export interface FailurePoint {
  /** 0-based index of the first statement that fails. */
  index: number;
  message: string;
}

/**
 * Finds which statement of a failed batch fails, without changing the database: every probe is the batch's
 * prefix plus a statement that always fails, so the driver rolls each probe back. log2(n) probes.
 * @example await locateFailure(driver, statements) // { index: 3, message: 'no such table: x' }
 */
export async function locateFailure(
  driver: DatabaseDriver,
  statements: SqlStatement[],
): Promise<FailurePoint | null> {
  const probe = `shipshape_probe_${randomBytes(6).toString('hex')}`;
  const sentinel: SqlStatement = { sql: `SELECT * FROM ${probe}` };
  // Returns the error of the prefix [0, end), or null when the prefix runs (only the sentinel fails).
  const failureOfPrefix = async (end: number): Promise<string | null> => {
    try {
      await driver.batch([...statements.slice(0, end), sentinel]);
      return 'the batch unexpectedly succeeded';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return message.includes(probe) ? null : message;
    }
  };
  let lo = 1;
  let hi = statements.length;
  let message = await failureOfPrefix(hi);
  if (message === null) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const failure = await failureOfPrefix(mid);
    if (failure === null) lo = mid + 1;
    else {
      hi = mid;
      message = failure;
    }
  }
  return { index: hi - 1, message };
}
