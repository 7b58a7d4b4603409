import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write.ts';
import { controlPath } from './paths.ts';

export type ManualAction = 'promote' | 'abort';

/** A person's request to the running release: what, who asked and why. */
export interface ActionRequest {
  action: ManualAction;
  actor: string;
  reason: string | null;
}

/** Asks the running release (another process) to promote or abort; it polls this file each interval. */
export function requestAction(projectDir: string, releaseId: string, request: ActionRequest): void {
  writeFileAtomic(
    controlPath(projectDir, releaseId),
    JSON.stringify({ ...request, at: new Date().toISOString() }),
  );
}

/** Takes a pending request (once: the file is removed so a promote is not applied to the next step too). */
export function takeAction(projectDir: string, releaseId: string): ActionRequest | null {
  const path = controlPath(projectDir, releaseId);
  if (!existsSync(path)) return null;
  try {
    const request = JSON.parse(readFileSync(path, 'utf8')) as Partial<ActionRequest>;
    if (request.action !== 'promote' && request.action !== 'abort') return null;
    return {
      action: request.action,
      actor: typeof request.actor === 'string' ? request.actor : 'unknown',
      reason: typeof request.reason === 'string' ? request.reason : null,
    };
  } catch {
    return null;
  } finally {
    rmSync(path, { force: true });
  }
}
