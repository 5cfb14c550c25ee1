import { DateTime, IANAZone } from 'luxon';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Days between offset probes: no time zone changes its offset twice within a week (since 2000). */
const PROBE_DAYS = 7;
/** Most days in one run, so a zone without daylight saving is still probed in bounded steps. */
const MAX_RUN_DAYS = 52 * PROBE_DAYS;

/**
 * `count` daily windows, each `length` ms long, the first starting at `start` and each next one a
 * day (24 h) later: the covered spans of days on which the zone's offset does not change.
 */
export interface CoverageRun {
  readonly start: number;
  readonly length: number;
  readonly count: number;
}

/** A daily coverage window: minutes of the day it opens and closes, in `timeZone`. */
export interface DailyWindow {
  readonly timeZone: string;
  readonly fromMinute: number;
  readonly toMinute: number;
}

/**
 * The covered spans of a daily window from `fromMs` on, in runs of days with one offset: the same
 * spans, edge for edge, as walking the days one by one with luxon (the days on which the offset
 * changes are walked so), in steps of up to a year rather than a day. Endless: consumers stop.
 */
export function* coverageRuns(window: DailyWindow, fromMs: number): Generator<CoverageRun> {
  const zone = IANAZone.create(window.timeZone);
  const length = (window.toMinute - window.fromMinute) * MINUTE;
  let day = DateTime.fromMillis(fromMs, { zone }).startOf('day');
  for (;;) {
    const dayMs = day.toMillis();
    const regular = regularDays(zone, dayMs);
    if (regular === 0) {
      // The offset changes today: the window's edges are wall-clock times, as luxon places them.
      const open = atMinute(day, window.fromMinute);
      const close = atMinute(day, window.toMinute);
      if (close > fromMs && close > open) {
        const start = Math.max(open, fromMs);
        yield { start, length: close - start, count: 1 };
      }
      day = day.plus({ days: 1 });
      continue;
    }
    let first = 0;
    const open = dayMs + window.fromMinute * MINUTE;
    if (open < fromMs) {
      // The first day is clipped to `fromMs` (or over already).
      if (open + length > fromMs) yield { start: fromMs, length: open + length - fromMs, count: 1 };
      first = 1;
    }
    if (regular > first) yield { start: open + first * DAY, length, count: regular - first };
    day = DateTime.fromMillis(dayMs + (regular - 1) * DAY, { zone }).plus({ days: 1 });
  }
}

/** Covered time in `[fromMs, untilMs)`, summed run by run. */
export function coveredBetween(runs: Iterable<CoverageRun>, fromMs: number, untilMs: number): number {
  let total = 0;
  if (untilMs <= fromMs) return 0;
  for (const run of runs) {
    if (run.start >= untilMs) break;
    if (untilMs >= run.start + (run.count - 1) * DAY + run.length) {
      total += run.count * run.length;
      continue;
    }
    // `untilMs` falls in this run: whole windows before it, and part of the one it is in.
    const last = Math.floor((untilMs - run.start) / DAY);
    total += last * run.length + Math.min(run.length, untilMs - (run.start + last * DAY));
    break;
  }
  return total;
}

/**
 * The instant by which `amountMs` of the runs have elapsed, under `instantAfter`'s rule: when the
 * amount runs out at the end of a window, the start of the next one.
 */
export function afterCovered(runs: Iterable<CoverageRun>, amountMs: number): number {
  let remaining = amountMs;
  for (const run of runs) {
    const total = run.count * run.length;
    if (remaining < total) {
      const whole = Math.floor(remaining / run.length);
      return run.start + whole * DAY + (remaining - whole * run.length);
    }
    remaining -= total;
  }
  // Coverage runs never end.
  return NaN;
}

/** How many days from the local midnight `dayMs` on keep the offset it has, up to a run's length. */
function regularDays(zone: IANAZone, dayMs: number): number {
  const offset = zone.offset(dayMs);
  let days = 0;
  while (days + PROBE_DAYS <= MAX_RUN_DAYS && zone.offset(dayMs + (days + PROBE_DAYS) * DAY) === offset)
    days += PROBE_DAYS;
  while (days < MAX_RUN_DAYS && zone.offset(dayMs + (days + 1) * DAY) === offset) days++;
  return days;
}

function atMinute(day: DateTime, minute: number): number {
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}
