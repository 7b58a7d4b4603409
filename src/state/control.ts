import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.ts';
import { controlPath } from './paths.ts';

export type ManualAction = 'promote' | 'abort';

/** Asks the running release (another process) to promote or abort; it polls this file each interval. */
export function requestAction(
  projectDir: string,
  releaseId: string,
  action: ManualAction,
  reason: string | null,
): void {
  writeFileAtomic(
    controlPath(projectDir, releaseId),
    JSON.stringify({ action, reason, at: new Date().toISOString() }),
  );
}

/** Takes a pending request (once: the file is removed so a promote is not applied to the next step too). */
export function takeAction(projectDir: string, releaseId: string): ManualAction | null {
  const path = controlPath(projectDir, releaseId);
  if (!existsSync(path)) return null;
  try {
    const { action } = JSON.parse(readFileSync(path, 'utf8')) as { action: ManualAction };
    return action === 'promote' || action === 'abort' ? action : null;
  } catch {
    return null;
  } finally {
    rmSync(path, { force: true });
  }
}
