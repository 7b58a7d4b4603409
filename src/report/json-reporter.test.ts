import { describe, expect, it } from 'vitest';
import { captureIO } from './capture-io.ts';
import { createReporter } from './reporter.ts';
import { sampleRelease } from './sample-events.ts';

function runJson(verbose: boolean) {
  // A terminal outside CI: --json must still win over the live view.
  const io = captureIO({ isTTY: true });
  const reporter = createReporter({ io, json: true, verbose, color: true });
  const events = sampleRelease('rolled_back');
  for (const event of events) reporter.handle(event);
  reporter.close();
  return { io, events };
}

describe('json reporter', () => {
  it('writes one parsable event per line on stdout and nothing else', () => {
    const { io, events } = runJson(false);
    const text = io.stdoutText();
    expect(text.endsWith('\n')).toBe(true);
    const records = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(events.length);
    expect(records.map((r) => r.type)).toEqual(events.map((e) => e.type));
    for (const record of records) {
      expect(record.v).toBe(1);
      expect(record.release).toBe('r-20260207-142310');
      expect(typeof record.ts).toBe('string');
    }
    expect(text).not.toMatch(/\x1b/);
    expect(io.stderrText()).toBe('');
  });

  it('keeps the data intact (evidence, figures, splits)', () => {
    const { io, events } = runJson(false);
    const records = io
      .stdoutText()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const verdict = records.find((r) => r.type === 'verdict');
    expect(verdict).toEqual(events.find((e) => e.type === 'verdict'));
    expect(records.find((r) => r.type === 'release.finished').score).toBe(72);
  });

  it('drops error stacks unless --verbose', () => {
    const quiet = runJson(false)
      .io.stdoutText()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const error = quiet.find((r) => r.type === 'error');
    expect(error).toMatchObject({ code: 'ROLLOUT_ROLLED_BACK', hint: expect.any(String) });
    expect(error.stack).toBeUndefined();
    const loud = runJson(true)
      .io.stdoutText()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(loud.find((r) => r.type === 'error').stack).toContain('judge.ts');
  });
});
