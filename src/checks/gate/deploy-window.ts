import type { ResolvedConfig } from '../../config/resolved.ts';
import type { GateCheck } from '../check.ts';
import { gateResult } from '../shared/result.ts';

type WindowConfig = ResolvedConfig['gates']['window'];

/** Where `now` falls in the configured time zone. */
export interface LocalTime {
  /** mon … sun */
  day: string;
  /** "HH:MM" */
  time: string;
  /** "YYYY-MM-DD" */
  date: string;
}

/** Reads weekday, time and date of `now` in `timeZone` (IANA). */
export function localTime(now: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    day: get('weekday').toLowerCase().slice(0, 3),
    time: `${get('hour')}:${get('minute')}`,
    date: `${get('year')}-${get('month')}-${get('day')}`,
  };
}

/** Every reason the window is closed at `at` (empty: open). Pure. */
export function windowViolations(window: WindowConfig, at: LocalTime): string[] {
  const reasons: string[] = [];
  if ((window.deniedDays as string[]).includes(at.day)) reasons.push(`no deploys on ${dayName(at.day)}`);
  const hours = window.allowedHours;
  if (hours && !inHours(at.time, hours.from, hours.to)) {
    reasons.push(`${at.time} is outside the allowed hours ${hours.from}-${hours.to}`);
  }
  for (const freeze of window.freeze) {
    if (at.date >= freeze.from && at.date <= freeze.to) {
      reasons.push(`freeze ${freeze.from} to ${freeze.to}${freeze.reason ? ` (${freeze.reason})` : ''}`);
    }
  }
  return reasons;
}

/** `from` inclusive, `to` exclusive; a window like 22:00-06:00 runs over midnight. */
function inHours(time: string, from: string, to: string): boolean {
  if (from === to) return true;
  return from < to ? time >= from && time < to : time >= from || time < to;
}

function dayName(day: string): string {
  const names: Record<string, string> = {
    mon: 'Monday',
    tue: 'Tuesday',
    wed: 'Wednesday',
    thu: 'Thursday',
    fri: 'Friday',
    sat: 'Saturday',
    sun: 'Sunday',
  };
  return names[day] ?? day;
}

const NAME = 'deploy window';

/** Deploy window: denied weekdays (default Friday), allowed hours and freeze dates in the configured zone. */
export const deployWindowCheck: GateCheck = {
  name: NAME,
  async run(ctx) {
    const window = ctx.config.gates.window;
    const at = localTime(ctx.now, window.timeZone);
    const reasons = windowViolations(window, at);
    const evidence = { now: ctx.now.toISOString(), timeZone: window.timeZone, local: at, reasons };
    const where = `${dayName(at.day)} ${at.date} ${at.time} ${window.timeZone}`;
    if (reasons.length === 0) {
      return gateResult(NAME, 'pass', {
        message: `Deploy window open (${where}).`,
        evidence: ctx.forceWindow ? { ...evidence, forced: ctx.forceWindow.reason } : evidence,
      });
    }
    if (ctx.forceWindow) {
      return gateResult(NAME, 'warn', {
        message: `Deploy window closed (${reasons.join('; ')}), overridden: ${ctx.forceWindow.reason}`,
        hint: 'The override and its reason are recorded in the release journal.',
        evidence: { ...evidence, forced: ctx.forceWindow.reason },
      });
    }
    return gateResult(NAME, 'fail', {
      message: `Deploy window closed at ${where}: ${reasons.join('; ')}.`,
      hint: 'Deploy inside the window, change gates.window in the config, or pass --force-window --reason "why".',
      evidence,
    });
  },
};
