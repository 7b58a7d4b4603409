import { projectWorker } from '../../config/resolved.ts';
import { pullJournals } from '../../state/release-store.ts';
import { heldRelease } from '../../targets/target.ts';
import type { Project } from '../project.ts';

/**
 * With the release state kept in the account (`cloudflare.state`): brings in the journal lines other runners sent
 * there and names the release whose lease is live, so the dashboard follows a release running on another runner
 * as it follows one of this machine's. Null without shared state, or while the account cannot be read (the page
 * keeps showing what it has; the next look tries again).
 */
export async function followAccount(project: Project, now: Date): Promise<string | null> {
  const { config } = project;
  if (config.target !== 'cloudflare' || !config.cloudflare.state) return null;
  try {
    const target = await project.target();
    if (target.releaseStore)
      await pullJournals(target.releaseStore, config.projectDir, projectWorker(config));
    const lease = target.guard ? await target.guard.state() : null;
    return heldRelease(lease, now);
  } catch {
    return null;
  }
}
