import { EXIT } from '../exit-codes.ts';
import { defineErrors } from './define.ts';

export const pipelineErrors = defineErrors({
  LOCK_HELD: (c) => ({
    message: `Another release (${c.release}) holds the lock for ${c.worker}${c.env ? ` (${c.env})` : ''}: pid ${c.pid} on ${c.host}, started ${c.startedAt}.`,
    hint: 'Wait for it to finish ("shipshape status"), or drive it with "shipshape promote" / "shipshape abort".',
    kind: 'outcome',
    exit: EXIT.locked,
  }),
  LEASE_STALE: (c) => ({
    message: `Release ${c.release ?? 'this release'} no longer holds the platform's lease (generation ${c.generation}, now ${c.current}): ${c.reason ?? 'it was not renewed in time and the platform took the release over'}. Nothing more was changed by this process.`,
    hint: 'The platform restored or resumed the release on its own; see "shipshape status" and "shipshape history". Deploy again when ready.',
    kind: 'outcome',
    exit: EXIT.locked,
  }),
  GATE_BLOCKED: (c) => ({
    message: `Blocked by the gate: ${c.failed.join(', ')}.`,
    hint: 'Fix the failing checks above; nothing was uploaded and traffic is unchanged.',
    kind: 'outcome',
    exit: EXIT.blocked,
  }),
  ROLLBACK_FAILED: (c) => ({
    message: `Rollback to ${c.to ?? 'the previous version'} failed: ${c.reason}`,
    hint: 'A person must act: check "shipshape status", then run "shipshape rollback VERSION" or fix the target.',
    kind: 'outcome',
    exit: EXIT.rollbackFailed,
  }),
  VERSION_UNKNOWN: (c) => ({
    message: `No version "${c.version}" on this target.`,
    hint: c.available.length
      ? `Available versions (newest first): ${c.available.join(', ')}.`
      : 'No versions have been uploaded yet.',
  }),
  NO_ROLLBACK_TARGET: () => ({
    message: 'No earlier promoted version to roll back to.',
    hint: 'Name one: "shipshape rollback VERSION" ("shipshape status" lists the versions).',
  }),
  NO_RELEASE_RUNNING: (c) => ({
    message: `No release is in progress for ${c.worker}${c.env ? ` (${c.env})` : ''}.`,
    hint: 'promote and abort drive a running rollout; "shipshape status" shows what serves now.',
  }),
  NOTHING_SERVING: () => ({
    message: 'No version is serving yet.',
    hint: 'Run "shipshape deploy" first.',
  }),
  HEALTH_FAILED_AFTER_ROLLBACK: (c) => ({
    message: `Rolled back to ${c.to}, but its health check fails: ${c.reason}`,
    hint: 'The previous version is serving and unhealthy too: check the database and dependencies now.',
    kind: 'outcome',
    exit: EXIT.rollbackFailed,
  }),
  MIGRATIONS_ROLLBACK_UNKNOWN_VERSION: (c) => ({
    message: `No promoted release of version ${String(c.version).slice(0, 8)} in the history: the migrations applied since are unknown.`,
    hint: 'Roll the database back explicitly with "shipshape migrations rollback --to NNNN".',
  }),
  MIGRATIONS_ROLLBACK_UNCONFIRMED: (c) => ({
    message: `Not rolling back ${c.count} migration${c.count === 1 ? '' : 's'} without confirmation.`,
    hint: 'Pass --yes (required in CI and when not on a terminal). The code rollback was not started.',
  }),
  POSTMORTEM_NOTHING_TO_WRITE_UP: (c) => ({
    message:
      c.outcome === 'running'
        ? `Release ${c.release} is still running: its post-mortem cannot be written yet.`
        : `Release ${c.release} was ${String(c.outcome).replace('_', ' ')}: there is nothing to write a post-mortem about.`,
    hint: `A post-mortem drafts the story of a release that was rolled back, aborted or failed${
      c.candidates?.length ? `: ${c.candidates.join(', ')}` : ''
    }. "shipshape report ${c.release ?? ''}" gives this release's own account.`,
  }),
  RELEASE_UNKNOWN: (c) => ({
    message: c.release ? `No single release matches "${c.release}".` : 'No releases yet.',
    hint: c.available.length
      ? `Recent releases: ${c.available.join(', ')}.`
      : 'Run "shipshape deploy" first.',
  }),
});
