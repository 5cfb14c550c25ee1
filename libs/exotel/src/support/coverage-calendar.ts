import { DateTime } from 'luxon';
import { afterCovered, coverageRuns, coveredBetween, type DailyWindow } from './coverage-runs';
import { coverageProblem, minutesOfClockTime, type CoverageHours } from '../options/support-policy';

/** A half-open span of time `[start, end)` in epoch milliseconds; `end` may be `Infinity`. */
export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * The hours a support plan is covered, and arithmetic in coverage time. Daily windows are
 * computed in their own time zone with luxon, so a zone with daylight saving keeps its wall-clock
 * hours; Asia/Kolkata has none, but nothing here assumes a fixed offset.
 */
export class CoverageCalendar {
  private readonly fromMinute: number;
  private readonly toMinute: number;

  constructor(readonly hours: CoverageHours) {
    const problem = coverageProblem(hours);
    if (problem) throw new Error(`Invalid coverage hours: ${problem}`);
    this.fromMinute = hours.kind === 'daily' ? (minutesOfClockTime(hours.from) ?? 0) : 0;
    this.toMinute = hours.kind === 'daily' ? (minutesOfClockTime(hours.to) ?? 0) : 0;
  }

  /**
   * The covered spans from `fromMs` on, in order, the first clipped to start no earlier than
   * `fromMs`, day by day. Endless for daily coverage: consumers stop iterating when they have what
   * they need. The reference for `coveredMs` and `instantAfterCovered`, which give the same answers
   * in bounded steps (this walks a day per span: decades of input would block the event loop).
   */
  *spansFrom(fromMs: number): Generator<TimeSpan> {
    if (this.hours.kind === 'always') {
      yield { start: fromMs, end: Infinity };
      return;
    }
    let day = DateTime.fromMillis(fromMs, { zone: this.hours.timeZone }).startOf('day');
    for (;;) {
      const open = atMinute(day, this.fromMinute);
      const close = atMinute(day, this.toMinute);
      // A window that a daylight-saving jump swallows (open pushed past close) is skipped.
      if (close > fromMs && close > open) yield { start: Math.max(open, fromMs), end: close };
      day = day.plus({ days: 1 });
    }
  }

  /** Covered time in `[fromMs, untilMs)`, in closed form per run of days (`untilMs` finite). */
  coveredMs(fromMs: number, untilMs: number): number {
    if (untilMs <= fromMs) return 0;
    if (this.hours.kind === 'always') return untilMs - fromMs;
    return coveredBetween(coverageRuns(this.daily(), fromMs), fromMs, untilMs);
  }

  /**
   * The instant by which `amountMs` of coverage time after `fromMs` has elapsed, under
   * `instantAfter`'s rule, in closed form per run of days.
   */
  instantAfterCovered(fromMs: number, amountMs: number): number {
    if (this.hours.kind === 'always') return fromMs + amountMs;
    return afterCovered(coverageRuns(this.daily(), fromMs), amountMs);
  }

  /** True when `instant` is covered; a daily window includes its start and excludes its end. */
  isCovered(instant: Date): boolean {
    const first = this.spansFrom(instant.getTime()).next().value as TimeSpan;
    return first.start === instant.getTime();
  }

  /**
   * The instant `minutes` of coverage time after `start` (see `instantAfter` for the exact rule):
   * SME, 21:50 IST plus 30 minutes is 08:20 IST the next day.
   */
  addCoverageMinutes(start: Date, minutes: number): Date {
    return new Date(this.instantAfterCovered(start.getTime(), minutes * 60_000));
  }

  private daily(): DailyWindow {
    const timeZone = this.hours.kind === 'daily' ? this.hours.timeZone : 'UTC';
    return { timeZone, fromMinute: this.fromMinute, toMinute: this.toMinute };
  }
}

/**
 * The latest instant by which no more than `amountMs` of the given spans have elapsed: the
 * deadline of a clock that only runs inside the spans. When the amount runs out exactly at the end
 * of a span, the deadline is the start of the next span, since nothing is consumed in between; so a
 * deadline is always inside a span, and a metric is breached once time passes it. Null when the
 * spans end (a clock stopped for good) before the amount is consumed.
 */
export function instantAfter(spans: Iterable<TimeSpan>, amountMs: number): number | null {
  let remaining = amountMs;
  for (const span of spans) {
    const length = span.end - span.start;
    if (remaining < length) return span.start + remaining;
    remaining -= length;
  }
  return null;
}

/** How much of the given (ordered) spans lies before `untilMs`. */
export function elapsedBefore(spans: Iterable<TimeSpan>, untilMs: number): number {
  let total = 0;
  for (const span of spans) {
    if (span.start >= untilMs) break;
    total += Math.min(span.end, untilMs) - span.start;
  }
  return total;
}

function atMinute(day: DateTime, minute: number): number {
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
}
