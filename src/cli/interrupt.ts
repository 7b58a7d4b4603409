import type { CommandIO } from '../io/command-io.ts';

/**
 * Runs `fn` with an AbortSignal that fires on Ctrl-C / SIGTERM (or the io's own signal in tests), so a release
 * can stop waiting and roll back instead of leaving traffic split with no owner.
 */
export async function withInterrupt<T>(io: CommandIO, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  const external = io.signal;
  external?.addEventListener('abort', onSignal, { once: true });
  const isProcess = !external;
  if (isProcess) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    return await fn(controller.signal);
  } finally {
    external?.removeEventListener('abort', onSignal);
    if (isProcess) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
