import fc from 'fast-check';
import { CoverageCalendar, elapsedBefore, instantAfter } from './coverage-calendar';
import { coverageRuns } from './coverage-runs';
import { evaluateSlaClock, runningSpans, slaDeadline, type PauseInterval } from './sla-clock';
import { EXOTEL_SUPPORT_POLICY_V1, type CoverageHours } from './sla-policy';

// Every run prints its seed; FC_SEED=<seed> replays a failure exactly.
const seed = Number(process.env.FC_SEED ?? Date.now() % 2_147_483_647);
const settings = { numRuns: 1_000, seed };

const MINUTE = 60_000;
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2032, 0, 1);

const clockTime = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** Exotel's own coverage, and arbitrary daily windows in zones with and without daylight saving. */
const coverage: fc.Arbitrary<CoverageHours> = fc.oneof(
  fc.constantFrom(...Object.values(EXOTEL_SUPPORT_POLICY_V1.coverage)),
  fc
    .record({
      timeZone: fc.constantFrom('Asia/Kolkata', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe'),
      from: fc.integer({ min: 0, max: 23 * 60 + 58 }),
      length: fc.integer({ min: 60, max: 24 * 60 - 1 }),
    })
    .map(({ timeZone, from, length }) => ({
      kind: 'daily' as const,
      timeZone,
      from: clockTime(from),
      to: clockTime(Math.min(from + length, 24 * 60 - 1)),
    })),
);

/** Instants, often on whole minutes so window edges (08:00, 22:00) are hit exactly. */
const instant = fc.oneof(
  fc.integer({ min: FROM, max: TO }),
  fc.integer({ min: FROM / MINUTE, max: TO / MINUTE }).map((m) => m * MINUTE),
);

const targetMinutes = fc.integer({ min: 1, max: 3 * 24 * 60 });

/** A closed pause near `start` (it may begin before the ticket opened). */
const pauseNear = (start: number): fc.Arbitrary<PauseInterval> =>
  fc
    .record({
      offset: fc.integer({ min: -600, max: 10 * 24 * 60 }),
      length: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    })
    .map(({ offset, length }) => ({
      pausedAt: new Date(start + offset * MINUTE),
      resumedAt: new Date(start + (offset + length) * MINUTE),
    }));

const ticket = fc
  .record({ hours: coverage, start: instant, target: targetMinutes })
  .chain((t) =>
    fc
      .record({ pauses: fc.array(pauseNear(t.start), { maxLength: 4 }), extra: pauseNear(t.start) })
      .map((p) => ({ ...t, ...p })),
  );

describe('SLA clock properties', () => {
  beforeAll(() => {
    console.log(
      `SLA clock properties: fast-check seed ${seed}, ${settings.numRuns} runs each (FC_SEED=${seed} replays)`,
    );
  });

  it('never puts a deadline outside coverage, nor inside a pause', () => {
    fc.assert(
      fc.property(ticket, ({ hours, start, target, pauses }) => {
        const calendar = new CoverageCalendar(hours);
        const due = slaDeadline({ calendar, startedAt: new Date(start), targetMinutes: target, pauses });
        expect(due).not.toBeNull();
        expect(calendar.isCovered(due!)).toBe(true);
        for (const p of pauses) {
          expect(due!.getTime() >= p.pausedAt.getTime() && due!.getTime() < p.resumedAt!.getTime()).toBe(
            false,
          );
        }
      }),
      settings,
    );
  });

  it('consumes exactly the target by the deadline', () => {
    fc.assert(
      fc.property(ticket, ({ hours, start, target, pauses }) => {
        const calendar = new CoverageCalendar(hours);
        const startedAt = new Date(start);
        const due = slaDeadline({ calendar, startedAt, targetMinutes: target, pauses })!;
        expect(elapsedBefore(runningSpans(calendar, startedAt, pauses), due.getTime())).toBe(target * MINUTE);
      }),
      settings,
    );
  });

  it('never moves a deadline earlier when a pause is added', () => {
    fc.assert(
      fc.property(ticket, ({ hours, start, target, pauses, extra }) => {
        const input = {
          calendar: new CoverageCalendar(hours),
          startedAt: new Date(start),
          targetMinutes: target,
        };
        const before = slaDeadline({ ...input, pauses })!;
        const after = slaDeadline({ ...input, pauses: [...pauses, extra] })!;
        expect(after.getTime()).toBeGreaterThanOrEqual(before.getTime());
      }),
      settings,
    );
  });

  it('is monotonic in the target', () => {
    fc.assert(
      fc.property(ticket, targetMinutes, ({ hours, start, target, pauses }, other) => {
        const input = { calendar: new CoverageCalendar(hours), startedAt: new Date(start), pauses };
        const [small, large] = target <= other ? [target, other] : [other, target];
        const dueSmall = slaDeadline({ ...input, targetMinutes: small })!;
        const dueLarge = slaDeadline({ ...input, targetMinutes: large })!;
        expect(dueLarge.getTime()).toBeGreaterThanOrEqual(dueSmall.getTime());
        if (large > small) expect(dueLarge.getTime()).toBeGreaterThan(dueSmall.getTime());
      }),
      settings,
    );
  });

  // The closed forms (coveredMs, instantAfterCovered, slaDeadline, evaluateSlaClock) against the
  // day-by-day walk they replaced (spansFrom, runningSpans with instantAfter and elapsedBefore).
  describe('closed form = day-by-day walk', () => {
    // The walk is the slow side: amounts of up to ten days (of years of days for a narrow window).
    const span = fc.integer({ min: 0, max: 10 * 24 * 60 }).map((m) => m * MINUTE + (m % 7) * 1_000);
    const walked = { ...settings, numRuns: 300 };

    it('covered time between two instants', () => {
      fc.assert(
        fc.property(coverage, instant, span, (hours, from, length) => {
          const calendar = new CoverageCalendar(hours);
          expect(calendar.coveredMs(from, from + length)).toBe(
            elapsedBefore(calendar.spansFrom(from), from + length),
          );
        }),
        walked,
      );
    });

    it('the instant an amount of coverage time runs out', () => {
      fc.assert(
        fc.property(coverage, instant, span, (hours, from, amount) => {
          const calendar = new CoverageCalendar(hours);
          expect(calendar.instantAfterCovered(from, amount)).toBe(
            instantAfter(calendar.spansFrom(from), amount),
          );
        }),
        walked,
      );
    });

    it('deadlines and elapsed time with pauses', () => {
      fc.assert(
        fc.property(ticket, span, ({ hours, start, target, pauses }, later) => {
          const calendar = new CoverageCalendar(hours);
          const input = { calendar, startedAt: new Date(start), targetMinutes: target, pauses };
          const walked = instantAfter(runningSpans(calendar, input.startedAt, pauses), target * MINUTE);
          expect(slaDeadline(input)?.getTime() ?? null).toBe(walked);
          const now = new Date(start + later);
          expect(evaluateSlaClock(input, now).elapsedMs).toBe(
            elapsedBefore(runningSpans(calendar, input.startedAt, pauses), now.getTime()),
          );
        }),
        walked,
      );
    });

    it('walks decades in a bounded number of steps (a run per year, two more per offset change)', () => {
      const start = Date.UTC(1970, 0, 1);
      const years = 56;
      for (const timeZone of ['Asia/Kolkata', 'Europe/London']) {
        let runs = 0;
        for (const run of coverageRuns({ timeZone, fromMinute: 8 * 60, toMinute: 22 * 60 }, start)) {
          runs++;
          if (run.start > start + years * 366 * 24 * 60 * MINUTE) break;
        }
        expect(runs).toBeLessThanOrEqual(years * (timeZone === 'Asia/Kolkata' ? 1.1 : 7));
      }
    });
  });
});
