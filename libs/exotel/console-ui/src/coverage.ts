import type { Ticket } from './types';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM` of an instant in a time zone. */
function localTime(at: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return format.format(at);
}

/** Whether the plan's coverage hours hold at `at` (daily hours are half-open: 08:00 to before 22:00). */
export function covered(coverage: Ticket['coverage'], at: number): boolean {
  if (coverage.kind === 'always') return true;
  const time = localTime(at, coverage.timeZone);
  return time >= coverage.from && time < coverage.to;
}

/** Coverage time between two instants, to the second (the window between two reads is short). */
export function coveredMs(coverage: Ticket['coverage'], from: number, to: number): number {
  if (to <= from) return 0;
  if (coverage.kind === 'always') return to - from;
  if (to - from <= 60_000 || (covered(coverage, from) && covered(coverage, to) && to - from < 3_600_000))
    return covered(coverage, to) ? to - from : 0;
  let total = 0;
  for (let t = from; t < to; t += 60_000) if (covered(coverage, t)) total += Math.min(60_000, to - t);
  return total;
}
