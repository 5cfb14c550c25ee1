import type { CoverageCalendar, TimeSpan } from './coverage-calendar';

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
 * Walks the coverage day by day: the reference that `slaDeadline` and `evaluateSlaClock`, which
 * compute in closed form, are tested against.
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
 * Computed in closed form between pauses, so any start, target and number of days is cheap.
 */
export function slaDeadline(input: SlaClockInput, targetMinutes = input.targetMinutes): Date | null {
  const { calendar } = input;
  let remaining = Math.ceil(targetMinutes * 60_000);
  for (const gap of runningGaps(input.startedAt.getTime(), input.pauses)) {
    if (gap.end === Infinity) return new Date(calendar.instantAfterCovered(gap.start, remaining));
    const available = calendar.coveredMs(gap.start, gap.end);
    if (remaining < available) return new Date(calendar.instantAfterCovered(gap.start, remaining));
    remaining -= available;
  }
  return null;
}

/** Where the clock stands at `now` (or at `metAt`, once met: a met clock no longer moves). */
export function evaluateSlaClock(input: SlaClockInput, now: Date): SlaClockState {
  const metAt = input.metAt ?? null;
  const until = (metAt ?? now).getTime();
  const targetMs = input.targetMinutes * 60_000;
  const dueAt = slaDeadline(input);
  let elapsedMs = 0;
  for (const gap of runningGaps(input.startedAt.getTime(), input.pauses)) {
    if (gap.start >= until) break;
    elapsedMs += input.calendar.coveredMs(gap.start, Math.min(gap.end, until));
  }
  return {
    dueAt,
    metAt,
    breached: dueAt !== null && until > dueAt.getTime(),
    elapsedMs,
    remainingMs: Math.max(0, targetMs - elapsedMs),
    paused: metAt === null && (input.pauses ?? []).some((p) => p.resumedAt === null),
  };
}

/** The stretches between pauses from `startMs` on (the last endless unless a pause is open). */
function* runningGaps(startMs: number, pauses: readonly PauseInterval[] = []): Generator<TimeSpan> {
  let cursor = startMs;
  for (const stop of mergePauses(pauses)) {
    if (stop.end <= cursor) continue;
    if (stop.start > cursor) yield { start: cursor, end: stop.start };
    if (stop.end === Infinity) return;
    cursor = stop.end;
  }
  yield { start: cursor, end: Infinity };
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
