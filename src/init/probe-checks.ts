import type { WorkerConfig } from '../config/worker-config.ts';
import { toShipshapeError } from '../errors/shipshape-error.ts';
import { candidatePaths } from './candidate-paths.ts';
import { probePaths } from './probe-app.ts';
import { withProbeRuntime } from './probe-runtime.ts';
import { type SuggestedChecks, suggestChecks } from './suggest-checks.ts';

/**
 * `shipshape init`'s look at the app: runs it on a throwaway local platform, asks the candidate paths, and
 * returns the checks it passes today. A build or start failure is reported in the result, never thrown: init
 * still writes a config, with every check marked as a guess.
 */
export async function probeChecks(
  worker: WorkerConfig,
  env: Record<string, string | undefined>,
  buildCommand: string | null = null,
): Promise<SuggestedChecks> {
  const paths = candidatePaths(worker);
  try {
    const answers = await withProbeRuntime(
      worker.projectDir,
      env,
      (target, version) => probePaths(target, version, paths),
      buildCommand,
    );
    return suggestChecks(answers);
  } catch (err) {
    const e = toShipshapeError(err);
    return suggestChecks(null, `${e.code}: ${e.message.split('\n')[0]}`);
  }
}
