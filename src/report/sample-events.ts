import { EventBus } from '../events/bus.ts';
import { phaseNumber } from '../events/phases.ts';
import type { EventBody, ShipshapeEvent, VersionSample } from '../events/types.ts';

/** Version ids as the local target mints them (long; views show the first 8 characters). */
export const SAMPLE_CANARY = 'abc12345f00dfeed0001';
export const SAMPLE_BASELINE = 'def45678cafe0000beef';

function sample(role: 'canary' | 'baseline', requests: number, errors: number, p95: number): VersionSample {
  const version = role === 'canary' ? SAMPLE_CANARY : SAMPLE_BASELINE;
  return {
    version,
    role,
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    p50: p95 / 2,
    p95,
    p99: p95 * 1.5,
    rps: requests / 5,
  };
}

/**
 * Scripted releases for the reporters' tests, docs and demos, emitted through a real bus on a clock that
 * advances one second per event from 2026-02-07 14:23:10 UTC.
 */
export function sampleRelease(kind: 'promoted' | 'rolled_back'): ShipshapeEvent[] {
  let t = Date.parse('2026-02-07T14:23:10.000Z');
  const tick = () => {
    t += 1000;
    return new Date(t - 1000);
  };
  const bus = new EventBus({ release: 'r-20260207-142310', now: tick });
  const events: ShipshapeEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const bodies: EventBody[] = [
    {
      type: 'release.started',
      worker: 'hello-d1',
      env: 'production',
      target: 'local',
      dryRun: false,
      baseline: SAMPLE_BASELINE,
    },
    { type: 'phase.started', phase: 'gate', index: phaseNumber('gate') },
    {
      type: 'check.finished',
      phase: 'gate',
      name: 'window',
      status: 'pass',
      score: 5,
      evidence: { day: 'sat' },
      attempt: 1,
      durationMs: 3,
      message: 'Saturday 14:23 UTC is inside the deploy window',
    },
    {
      type: 'check.finished',
      phase: 'gate',
      name: 'branch',
      status: 'pass',
      score: 5,
      evidence: { branch: 'main' },
      attempt: 1,
      durationMs: 12,
      message: 'on main',
    },
    { type: 'phase.finished', phase: 'gate', score: 5, status: 'pass', durationMs: 2000 },
    { type: 'phase.started', phase: 'release', index: phaseNumber('release') },
    {
      type: 'retry.scheduled',
      phase: 'release',
      name: 'upload',
      attempt: 1,
      delayMs: 30_000,
      reason: 'ETIMEDOUT connecting to the control API',
    },
    { type: 'version.uploaded', version: SAMPLE_CANARY, hash: '9f86d081884c7d65', attempt: 2 },
    {
      type: 'check.finished',
      phase: 'release',
      name: 'upload',
      status: 'pass',
      score: 4,
      evidence: { version: SAMPLE_CANARY },
      attempt: 2,
      durationMs: 31_500,
      message: `uploaded ${SAMPLE_CANARY.slice(0, 8)} with 0% traffic`,
    },
    { type: 'phase.finished', phase: 'release', score: 4, status: 'pass', durationMs: 33_000 },
    { type: 'phase.started', phase: 'verify', index: phaseNumber('verify') },
    {
      type: 'check.finished',
      phase: 'verify',
      name: 'health',
      status: 'pass',
      score: 5,
      evidence: { status: 200, latencyMs: 12 },
      attempt: 1,
      durationMs: 12,
      message: 'GET /health → 200 in 12 ms',
    },
    {
      type: 'check.finished',
      phase: 'verify',
      name: 'security-headers',
      status: 'warn',
      score: 4,
      evidence: { missing: ['permissions-policy'] },
      attempt: 1,
      durationMs: 9,
      message: 'missing permissions-policy',
      hint: 'Add the header in the worker response.',
    },
    { type: 'phase.finished', phase: 'verify', score: 4, status: 'warn', durationMs: 1500 },
    { type: 'phase.finished', phase: 'e2e', score: 4, status: 'skip', durationMs: 0 },
    { type: 'phase.started', phase: 'rollout', index: phaseNumber('rollout') },
    {
      type: 'plan',
      steps: [
        { percent: 10, bakeMs: 60_000 },
        { percent: 50, bakeMs: 60_000 },
        { percent: 100, bakeMs: 60_000 },
      ],
      monitorMs: 900_000,
    },
    {
      type: 'traffic.changed',
      split: [
        { version: SAMPLE_CANARY, percent: 10 },
        { version: SAMPLE_BASELINE, percent: 90 },
      ],
    },
    { type: 'wait.started', phase: 'rollout', label: 'bake at 10%', durationMs: 60_000 },
  ];
  if (kind === 'promoted') {
    bodies.push(
      {
        type: 'metrics.sampled',
        phase: 'rollout',
        step: 10,
        windowMs: 5000,
        versions: [sample('canary', 60, 0, 42), sample('baseline', 540, 1, 40)],
      },
      {
        type: 'verdict',
        action: 'continue',
        severity: 'low',
        reasons: [{ rule: 'absolute', message: 'canary error rate 0.00% < 1%', figures: { errorRate: 0 } }],
      },
      {
        type: 'verdict',
        action: 'promote',
        severity: 'low',
        reasons: [{ rule: 'sequential', message: 'no regression against the baseline', figures: { e: 0.4 } }],
      },
      { type: 'traffic.changed', split: [{ version: SAMPLE_CANARY, percent: 100 }] },
      { type: 'phase.finished', phase: 'rollout', score: 5, status: 'pass', durationMs: 120_000 },
      {
        type: 'release.finished',
        score: 88,
        outcome: 'promoted',
        phases: { gate: 5, release: 4, verify: 4, e2e: 4, rollout: 5 },
        durationMs: 192_000,
        version: SAMPLE_CANARY,
        baseline: SAMPLE_BASELINE,
      },
    );
  } else {
    bodies.push(
      {
        type: 'metrics.sampled',
        phase: 'rollout',
        step: 10,
        windowMs: 5000,
        versions: [sample('canary', 100, 8, 45), sample('baseline', 900, 4, 40)],
      },
      {
        type: 'verdict',
        action: 'rollback',
        severity: 'critical',
        reasons: [
          {
            rule: 'absolute',
            message: 'canary error rate 8.00% > 5%',
            figures: { errorRate: 0.08, threshold: 0.05 },
          },
        ],
      },
      {
        type: 'rollback.started',
        reason: 'canary error rate 8.00% > 5%',
        from: SAMPLE_CANARY,
        to: SAMPLE_BASELINE,
      },
      { type: 'traffic.changed', split: [{ version: SAMPLE_BASELINE, percent: 100 }] },
      { type: 'rollback.finished', ok: true, to: SAMPLE_BASELINE, durationMs: 850 },
      { type: 'phase.finished', phase: 'rollout', score: 1, status: 'fail', durationMs: 20_000 },
      {
        type: 'error',
        code: 'ROLLOUT_ROLLED_BACK',
        message: 'the canary was rolled back: canary error rate 8.00% > 5%',
        hint: 'Look at the canary errors, fix them and deploy again.',
        stack: 'Error: rolled back\n    at judge (judge.ts:1:1)',
      },
      {
        type: 'release.finished',
        score: 72,
        outcome: 'rolled_back',
        phases: { gate: 5, release: 4, verify: 4, e2e: 4, rollout: 1 },
        durationMs: 75_000,
        version: SAMPLE_CANARY,
        baseline: SAMPLE_BASELINE,
      },
    );
  }
  for (const body of bodies) bus.emit(body);
  return events;
}
