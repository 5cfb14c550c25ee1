import { DateTime } from 'luxon';
import { CoverageCalendar } from './coverage-calendar';
import { evaluateSlaClock, slaDeadline, type PauseInterval } from './sla-clock';
import {
  EXOTEL_SUPPORT_POLICY_V1,
  SlaPolicyCatalogue,
  type SupportPlan,
  type TicketSeverity,
} from './sla-policy';

/** An India wall-clock time as an instant. */
const ist = (local: string): Date => DateTime.fromISO(local, { zone: 'Asia/Kolkata' }).toJSDate();
const calendarOf = (plan: SupportPlan) => new CoverageCalendar(EXOTEL_SUPPORT_POLICY_V1.coverage[plan]);

function deadlines(
  plan: SupportPlan,
  severity: TicketSeverity,
  openedAt: Date,
  pauses: PauseInterval[] = [],
) {
  const targets = EXOTEL_SUPPORT_POLICY_V1.targets[severity];
  const calendar = calendarOf(plan);
  return {
    acknowledgement: slaDeadline({
      calendar,
      startedAt: openedAt,
      targetMinutes: targets.acknowledgementMinutes,
    }),
    response: slaDeadline({ calendar, startedAt: openedAt, targetMinutes: targets.responseMinutes, pauses }),
  };
}

describe('SLA clocks: golden cases from Exotel’s policy', () => {
  it('SME severity 1 opened 21:50 IST: acknowledgement due 08:20 and response 09:50 the next day', () => {
    expect(deadlines('sme', 1, ist('2026-11-23T21:50'))).toEqual({
      acknowledgement: ist('2026-11-24T08:20'),
      response: ist('2026-11-24T09:50'),
    });
  });

  it('enterprise severity 2 opened 03:00 IST: acknowledgement 03:30, response 08:00 (24x7)', () => {
    expect(deadlines('enterprise', 2, ist('2026-11-23T03:00'))).toEqual({
      acknowledgement: ist('2026-11-23T03:30'),
      response: ist('2026-11-23T08:00'),
    });
  });

  it('SMB severity 3 opened 10:00 IST: response due 20:00 the next day (24 coverage hours)', () => {
    expect(deadlines('smb', 3, ist('2026-11-23T10:00')).response).toEqual(ist('2026-11-24T20:00'));
  });

  it('a ticket opened at 22:00:00 starts its clocks at 08:00 the next day; 21:59:59 still counts', () => {
    expect(deadlines('sme', 1, ist('2026-11-23T22:00:00'))).toEqual({
      acknowledgement: ist('2026-11-24T08:30'),
      response: ist('2026-11-24T10:00'),
    });
    expect(deadlines('sme', 1, ist('2026-11-23T21:59:59')).acknowledgement).toEqual(
      ist('2026-11-24T08:29:59'),
    );
    // Before the window opens nothing runs either.
    expect(deadlines('smb', 4, ist('2026-11-23T07:59')).acknowledgement).toEqual(ist('2026-11-23T08:30'));
  });

  it('a pause of 1 h inside coverage moves the response deadline by 1 h', () => {
    const openedAt = ist('2026-11-23T10:00');
    const pause = { pausedAt: ist('2026-11-23T11:00'), resumedAt: ist('2026-11-23T12:00') };
    expect(deadlines('sme', 2, openedAt).response).toEqual(ist('2026-11-23T15:00'));
    expect(deadlines('sme', 2, openedAt, [pause])).toEqual({
      acknowledgement: ist('2026-11-23T10:30'),
      response: ist('2026-11-23T16:00'),
    });
  });

  it('a pause outside coverage changes nothing; an open pause leaves no deadline', () => {
    const openedAt = ist('2026-11-23T21:00');
    const overnight = { pausedAt: ist('2026-11-23T22:30'), resumedAt: ist('2026-11-24T07:30') };
    expect(deadlines('sme', 1, openedAt, [overnight]).response).toEqual(ist('2026-11-24T09:00'));
    const open = { pausedAt: ist('2026-11-23T21:30'), resumedAt: null };
    expect(deadlines('sme', 1, openedAt, [open]).response).toBeNull();
  });

  it('a target that runs out exactly at 22:00 is due when the next window opens, and breached just after', () => {
    const input = {
      calendar: calendarOf('sme'),
      startedAt: ist('2026-11-23T20:00'),
      targetMinutes: 120,
    };
    expect(slaDeadline(input)).toEqual(ist('2026-11-24T08:00'));
    expect(evaluateSlaClock(input, ist('2026-11-24T07:59')).breached).toBe(false);
    expect(evaluateSlaClock(input, ist('2026-11-24T08:00')).breached).toBe(false);
    expect(evaluateSlaClock(input, ist('2026-11-24T08:00:01'))).toMatchObject({
      breached: true,
      remainingMs: 0,
    });
  });

  it('reports elapsed and remaining coverage time, frozen once met or paused', () => {
    const input = {
      calendar: calendarOf('sme'),
      startedAt: ist('2026-11-23T21:00'),
      targetMinutes: 120,
      pauses: [{ pausedAt: ist('2026-11-24T08:30'), resumedAt: null }],
    };
    expect(evaluateSlaClock(input, ist('2026-11-24T09:00'))).toEqual({
      dueAt: null,
      metAt: null,
      breached: false,
      elapsedMs: 90 * 60_000,
      remainingMs: 30 * 60_000,
      paused: true,
    });
    const met = { ...input, pauses: [], metAt: ist('2026-11-24T08:10') };
    expect(evaluateSlaClock(met, ist('2026-11-30T00:00'))).toMatchObject({
      dueAt: ist('2026-11-24T09:00'),
      breached: false,
      elapsedMs: 70 * 60_000,
      remainingMs: 50 * 60_000,
      paused: false,
    });
    const late = { ...met, metAt: ist('2026-11-24T09:00:01') };
    expect(evaluateSlaClock(late, ist('2026-11-30T00:00')).breached).toBe(true);
  });

  it('keeps wall-clock hours across a daylight-saving change', () => {
    const calendar = new CoverageCalendar({
      kind: 'daily',
      timeZone: 'Europe/London',
      from: '09:00',
      to: '17:00',
    });
    // The UK moves from GMT to BST on 29 March 2026; each day's window stays 09:00-17:00 local time.
    const friday = DateTime.fromISO('2026-03-27T16:00', { zone: 'Europe/London' }).toJSDate();
    expect(calendar.addCoverageMinutes(friday, 120).toISOString()).toBe('2026-03-28T10:00:00.000Z');
    const saturday = DateTime.fromISO('2026-03-28T16:30', { zone: 'Europe/London' }).toJSDate();
    expect(calendar.addCoverageMinutes(saturday, 60).toISOString()).toBe('2026-03-29T08:30:00.000Z');
  });
});

describe('SlaPolicyCatalogue', () => {
  const v2 = {
    ...EXOTEL_SUPPORT_POLICY_V1,
    id: 'exotel-v2',
    effectiveFrom: new Date('2027-01-01T00:00:00+05:30'),
  };

  it('finds the version in force at an instant', () => {
    const catalogue = new SlaPolicyCatalogue([v2]);
    expect(catalogue.all().map((v) => v.id)).toEqual(['exotel-v1', 'exotel-v2']);
    expect(catalogue.inForceAt(ist('2026-12-31T23:59'))?.id).toBe('exotel-v1');
    expect(catalogue.inForceAt(ist('2027-01-01T00:00'))?.id).toBe('exotel-v2');
  });

  it('lets a configured version replace the built-in one', () => {
    const replaced = { ...v2, id: 'exotel-v1', effectiveFrom: new Date('2020-01-01T00:00:00Z') };
    const catalogue = new SlaPolicyCatalogue([replaced]);
    expect(catalogue.all()).toEqual([replaced]);
    expect(catalogue.inForceAt(new Date('2019-12-31T00:00:00Z'))).toBeUndefined();
  });
});
