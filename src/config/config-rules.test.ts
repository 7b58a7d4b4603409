import { describe, expect, it } from 'vitest';
import { ShipshapeError } from '../errors/shipshape-error.ts';
import { configRuleProblems } from './config-rules.ts';
import { validateConfig } from './load.ts';

function problems(raw: unknown): string[] {
  try {
    validateConfig(raw, 'shipshape.config.ts');
  } catch (err) {
    if (!(err instanceof ShipshapeError)) throw err;
    expect(err.exitCode).toBe(2);
    return (err.details.problems as { path: string; message: string }[]).map(
      (p) => `${p.path}: ${p.message}`,
    );
  }
  return [];
}

describe('config rules', () => {
  it.each([
    ['unsorted steps', { rollout: { steps: [50, 10, 100] } }, 'rollout.steps[1]: 10% must be above'],
    ['duplicate steps', { rollout: { steps: [10, 10, 100] } }, 'rollout.steps[1]: 10% repeats'],
    ['steps short of 100', { rollout: { steps: [10, 50] } }, 'rollout.steps: the last step must be 100'],
    ['a 0% step', { rollout: { steps: [0, 100] } }, 'rollout.steps[0]: 0% must be above 0%'],
    ['a zero interval', { rollout: { interval: '0s' } }, 'rollout.interval: expected a duration above zero'],
    [
      'a zero check timeout',
      { gates: { checks: [{ name: 't', command: 'true', timeout: '0ms' }] } },
      'gates.checks[0].timeout',
    ],
    ['warn above pass', { score: { pass: 50, warn: 70 } }, 'score.warn: expected at most score.pass (50)'],
    ['warn above the default pass', { score: { warn: 90 } }, 'score.warn: expected at most score.pass (80)'],
    [
      'a freeze ending before it starts',
      { gates: { window: { freeze: [{ from: '2026-12-24', to: '2026-12-20' }] } } },
      'gates.window.freeze[0].to: the freeze ends',
    ],
    [
      'a date that does not exist',
      { gates: { window: { freeze: [{ from: '2026-02-30', to: '2026-03-02' }] } } },
      'gates.window.freeze[0].from: expected a date that exists',
    ],
    [
      'an empty hour window',
      { gates: { window: { allowedHours: { from: '09:00', to: '09:00' } } } },
      'gates.window.allowedHours',
    ],
    [
      'every day denied',
      { gates: { window: { deniedDays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } } },
      'every day is denied',
    ],
    [
      'unordered p95 levels',
      { analysis: { p95: { critical: '1s', high: '2s', medium: '500ms' } } },
      'analysis.p95.high: expected at most critical',
    ],
    [
      'unordered error-rate levels',
      { analysis: { errorRate: { critical: 0.05, high: 0.02, medium: 0.03 } } },
      'analysis.errorRate.medium',
    ],
    [
      'a remote traffic url',
      { rollout: { traffic: { url: 'https://example.com' } } },
      'rollout.traffic.url: example.com is not a loopback',
    ],
    [
      'a status page that is not http(s)',
      { gates: { incidents: { url: 'ftp://status.example.com/x.json' } } },
      'gates.incidents.url: expected an http(s) address',
    ],
    [
      'no incident components',
      { gates: { incidents: { components: [] } } },
      'gates.incidents.components: no component listed',
    ],
    ['a zero status page timeout', { gates: { incidents: { timeout: '0s' } } }, 'gates.incidents.timeout'],
    [
      'a zero query-time budget',
      { analysis: { queryTime: { p95: '0ms' } } },
      'analysis.queryTime.p95: expected a duration above zero',
    ],
    [
      'a volume band of 100%',
      { analysis: { volume: { band: 1 } } },
      'analysis.volume.band: expected < 1; found 1',
    ],
    ['an unknown volume action', { analysis: { volume: { onChange: 'abort' } } }, 'analysis.volume.onChange'],
    ['a query-time budget without unit', { analysis: { queryTime: { p95: 100 } } }, 'analysis.queryTime.p95'],
  ])('reports %s', (_, raw, expected) => {
    expect(problems(raw).join('\n')).toContain(expected);
  });

  it('lists every problem at once, schema and rules together, environments included', () => {
    const found = problems({
      rollout: { steps: [10, 50], interval: '0s', bake: 'soon' },
      score: { pass: 50, warn: 70 },
      environments: { production: { score: { warn: 40, pass: 30 } } },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rollout\.bake: /),
        expect.stringMatching(/^rollout\.steps: the last step/),
        expect.stringMatching(/^rollout\.interval: /),
        expect.stringMatching(/^score\.warn: /),
        expect.stringMatching(/^environments\.production\.score\.warn: expected at most score\.pass \(30\)/),
      ]),
    );
  });

  it('accepts the defaults, a loopback or allowed remote url, and a manual pause', () => {
    expect(configRuleProblems({})).toEqual([]);
    expect(
      configRuleProblems({
        gates: { promotedIn: 'staging', incidents: { url: 'http://127.0.0.1:9/x.json' } },
        environments: { staging: { gates: { promotedIn: null } } },
      }),
    ).toEqual([]);
    expect(
      configRuleProblems({
        rollout: {
          steps: [10, { pause: 'manual' }, { percent: 100 }],
          traffic: { url: 'http://127.0.0.1:9' },
        },
      }),
    ).toEqual([]);
    expect(
      configRuleProblems({ rollout: { traffic: { url: 'https://x.example', allowRemote: true } } }),
    ).toEqual([]);
  });
});
