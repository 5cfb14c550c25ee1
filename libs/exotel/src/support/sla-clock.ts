import { elapsedBefore, instantAfter, type CoverageCalendar, type TimeSpan } from './coverage-calendar';

/** A time the response clock stood still (waiting on the customer); `resumedAt` null while it lasts. */
export interface PauseInterval {
  readonly pausedAt: Date;
  readonly resumedAt: Date | null;
}

/** One SLA clock of a ticket (acknowledgement or response). */
export interface SlaClockInput {
  /** When the support plan is covered. */
  readonly calendar: CoverageCalendar;
  /** When the clock started (the ticket opened). */
  readonly startedAt: Date;
  /** The target, in minutes of coverage time. */
  readonly targetMinutes: number;
  /** Times the clock stood still; the acknowledgement clock has none. */
  readonly pauses?: readonly PauseInterval[];
  /** When the metric was met (the clock stops for good), if it was. */
  readonly metAt?: Date | null;
}

/** Where an SLA clock stands at an instant. */
export interface SlaClockState {
  /** When the target runs out; null while the clock is paused before running out. */
  readonly dueAt: Date | null;
  readonly metAt: Date | null;
  /** Met late, or not met and past due. */
  readonly breached: boolean;
  /** Coverage time consumed, up to `metAt` or the instant asked about. */
  readonly elapsedMs: number;
  /** Coverage time left, never below zero. */
  readonly remainingMs: number;
  /** The clock stands still (waiting on the customer). */
  readonly paused: boolean;
}

/**
 * The spans in which a clock runs: covered time from `startedAt` on, minus the pauses. Pauses may
 * be given in any order and may overlap; an open pause stops the clock for good (until resumed).
 */
export function* runningSpans(
  calendar: CoverageCalendar,
  startedAt: Date,
  pauses: readonly PauseInterval[] = [],
): Generator<TimeSpan> {
  const stops = mergePauses(pauses);
  let next = 0;
  for (const covered of calendar.spansFrom(startedAt.getTime())) {
    let cursor = covered.start;
    while (cursor < covered.end) {
      while (next < stops.length && stops[next].end <= cursor) next++;
      const stop = stops[next];
      if (!stop || stop.start >= covered.end) {
        yield { start: cursor, end: covered.end };
        break;
      }
      if (stop.start > cursor) yield { start: cursor, end: stop.start };
      if (stop.end === Infinity) return;
      cursor = stop.end;
    }
  }
}

/**
 * The deadline of a clock: the instant `targetMinutes` of running time after it started (the
 * rule is `instantAfter`'s). Null while an open pause holds the clock before it runs out.
 */
export function slaDeadline(input: SlaClockInput, targetMinutes = input.targetMinutes): Date | null {
  const due = instantAfter(
    runningSpans(input.calendar, input.startedAt, input.pauses),
    Math.ceil(targetMinutes * 60_000),
  );
  return due === null ? null : new Date(due);
}

/** Where the clock stands at `now` (or at `metAt`, once met: a met clock no longer moves). */
export function evaluateSlaClock(input: SlaClockInput, now: Date): SlaClockState {
  const metAt = input.metAt ?? null;
  const until = metAt ?? now;
  const targetMs = input.targetMinutes * 60_000;
  const dueAt = slaDeadline(input);
  const elapsedMs = elapsedBefore(
    runningSpans(input.calendar, input.startedAt, input.pauses),
    until.getTime(),
  );
  return {
    dueAt,
    metAt,
    breached: dueAt !== null && until.getTime() > dueAt.getTime(),
    elapsedMs,
    remainingMs: Math.max(0, targetMs - elapsedMs),
    paused: metAt === null && (input.pauses ?? []).some((p) => p.resumedAt === null),
  };
}

function mergePauses(pauses: readonly PauseInterval[]): TimeSpan[] {
  const spans = pauses
    .map((p) => ({ start: p.pausedAt.getTime(), end: p.resumedAt?.getTime() ?? Infinity }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const merged: TimeSpan[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, span.end) };
    else merged.push(span);
  }
  return merged;
}
