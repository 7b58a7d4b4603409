import { describe, expect, it } from 'vitest';
import type { EventOf } from '../events/types.ts';
import { escapeData, escapeProperty, gateAnnotation, workflowCommand } from './github-annotations.ts';

function check(over: Partial<EventOf<'check.finished'>>): EventOf<'check.finished'> {
  return {
    v: 1,
    ts: '2026-02-07T14:23:11.000Z',
    release: null,
    type: 'check.finished',
    phase: 'gate',
    name: 'clean tree',
    status: 'fail',
    score: 0,
    evidence: {},
    attempt: 1,
    durationMs: 3,
    message: '1 uncommitted change: ?? README.md',
    hint: 'Commit or stash them.',
    ...over,
  };
}

describe('workflow command escaping', () => {
  it('escapes % first, then CR and LF, in messages', () => {
    expect(escapeData('100%\r\nmore %0A')).toBe('100%25%0D%0Amore %250A');
    expect(escapeData('a: b, c')).toBe('a: b, c');
  });

  it('also escapes : and , in properties', () => {
    expect(escapeProperty('env: required, 5%\n')).toBe('env%3A required%2C 5%25%0A');
  });

  it('writes ::name key=value::message, with no space when there are no properties', () => {
    expect(workflowCommand('error', { title: 'a:b', file: 'x,y' }, 'm')).toBe(
      '::error title=a%3Ab,file=x%2Cy::m',
    );
    expect(workflowCommand('warning', {}, 'line 1\nline 2')).toBe('::warning::line 1%0Aline 2');
  });
});

describe('gateAnnotation', () => {
  it('annotates a failing gate check as an error: title the check, message then hint', () => {
    expect(gateAnnotation(check({}))).toBe(
      '::error title=clean tree::1 uncommitted change: ?? README.md (Commit or stash them.)',
    );
  });

  it('annotates a warning as ::warning and names the component in the title', () => {
    const line = gateAnnotation(
      check({ status: 'warn', component: 'api', name: 'env: required', hint: undefined, message: '50%' }),
    );
    expect(line).toBe('::warning title=api%3A env%3A required::50%25');
  });

  it('keeps a multi-line hint on one command line', () => {
    const line = gateAnnotation(check({ hint: 'Last 2 lines:\nfoo\r\nbar' }))!;
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('(Last 2 lines:%0Afoo%0D%0Abar)');
  });

  it('ignores passing and skipped checks, other phases and other events', () => {
    expect(gateAnnotation(check({ status: 'pass' }))).toBeNull();
    expect(gateAnnotation(check({ status: 'skip' }))).toBeNull();
    expect(gateAnnotation(check({ phase: 'verify' }))).toBeNull();
    expect(
      gateAnnotation({ v: 1, ts: '', release: null, type: 'log', level: 'warn', message: 'x' }),
    ).toBeNull();
  });
});
