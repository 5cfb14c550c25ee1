import { IANAZone } from 'luxon';

// The support policy's vocabulary, as a host writes it in `ExotelModuleOptions.support`: plans,
// severities, targets, coverage and policy versions, with Exotel's published policy as the default.
// The options own it (they validate it at boot); support/ computes SLAs with it.

/** Exotel's support plans. Enterprise is covered 24x7; SME and SMB 14x7 (08:00-22:00 India time). */
export type SupportPlan = 'enterprise' | 'sme' | 'smb';

/** Every plan, in the order the policy lists them. */
export const SUPPORT_PLANS: readonly SupportPlan[] = ['enterprise', 'sme', 'smb'];

/**
 * Exotel's severity levels. 1: nothing useful works (calls fail, server inaccessible, operator
 * downtime). 2: a major function is impaired with a workaround (slow API, delayed calls).
 * 3: non-disabling or cosmetic. 4: business requests (reconciliations, logs).
 */
export type TicketSeverity = 1 | 2 | 3 | 4;

/** Every severity, most urgent first. */
export const TICKET_SEVERITIES: readonly TicketSeverity[] = [1, 2, 3, 4];

/** Targets of one severity, in minutes of coverage time (not wall-clock time). */
export interface SlaTargets {
  /** Time to acknowledge the ticket. */
  readonly acknowledgementMinutes: number;
  /** Time to respond to the ticket (stopped while waiting on the customer). */
  readonly responseMinutes: number;
}

/**
 * When support works on a plan: always, or every day between two wall-clock times of a time zone.
 * Daily windows are half-open, `[from, to)`: a ticket opened at exactly `to` waits for the next
 * day's `from`.
 */
export type CoverageHours =
  | { readonly kind: 'always' }
  | {
      readonly kind: 'daily';
      /** IANA time zone, e.g. `Asia/Kolkata`. */
      readonly timeZone: string;
      /** Start of the window, `HH:mm` (24-hour). */
      readonly from: string;
      /** End of the window, `HH:mm` (24-hour), later than `from` on the same day. */
      readonly to: string;
    };

/**
 * One version of the support policy: targets per severity and coverage per plan, in force from
 * `effectiveFrom` until the next version starts. A ticket pins the version in force when it
 * opened, and keeps it even if the policy changes while the ticket is open.
 */
export interface SlaPolicyVersion {
  /** Stable id, recorded on every ticket (e.g. `exotel-2024`). */
  readonly id: string;
  /** First instant the version applies to. */
  readonly effectiveFrom: Date;
  /** Targets per severity. */
  readonly targets: Readonly<Record<TicketSeverity, SlaTargets>>;
  /** Coverage per plan. */
  readonly coverage: Readonly<Record<SupportPlan, CoverageHours>>;
}

// The published policy carries no date; it has been in force since before this library existed,
// so it applies to every ticket unless a later version is configured.
const ROUND_THE_CLOCK: CoverageHours = { kind: 'always' };
const INDIA_BUSINESS_HOURS: CoverageHours = {
  kind: 'daily',
  timeZone: 'Asia/Kolkata',
  from: '08:00',
  to: '22:00',
};

/**
 * Exotel's published support policy (Table A/B of the Support Services Policy): acknowledgement in
 * 30 minutes for every severity; response in 2 h, 5 h, 24 h and 24 h for severities 1 to 4;
 * enterprise plans covered 24x7, SME and SMB plans every day 08:00-22:00 Asia/Kolkata.
 */
export const EXOTEL_SUPPORT_POLICY_V1: SlaPolicyVersion = Object.freeze({
  id: 'exotel-v1',
  effectiveFrom: new Date('1970-01-01T00:00:00.000Z'),
  targets: Object.freeze({
    1: { acknowledgementMinutes: 30, responseMinutes: 2 * 60 },
    2: { acknowledgementMinutes: 30, responseMinutes: 5 * 60 },
    3: { acknowledgementMinutes: 30, responseMinutes: 24 * 60 },
    4: { acknowledgementMinutes: 30, responseMinutes: 24 * 60 },
  }),
  coverage: Object.freeze({
    enterprise: ROUND_THE_CLOCK,
    sme: INDIA_BUSINESS_HOURS,
    smb: INDIA_BUSINESS_HOURS,
  }),
});

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an `HH:mm` wall-clock time; undefined when it is not one. */
export function minutesOfClockTime(text: string): number | undefined {
  const match = CLOCK_TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/**
 * Why `hours` cannot be used as coverage (unknown time zone, malformed or empty window), or
 * undefined when it can. Options validation and the calendar share it.
 */
export function coverageProblem(hours: CoverageHours): string | undefined {
  if (hours.kind === 'always') return undefined;
  if (!IANAZone.isValidZone(hours.timeZone)) return `"${hours.timeZone}" is not an IANA time zone`;
  const from = minutesOfClockTime(hours.from);
  const to = minutesOfClockTime(hours.to);
  if (from === undefined || to === undefined) return 'from and to must be HH:mm times such as 08:00';
  if (from >= to) return 'from must be earlier than to on the same day';
  return undefined;
}
