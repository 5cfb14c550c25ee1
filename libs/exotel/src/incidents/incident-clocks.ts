import type { IncidentOrigin } from './incident.types';

/**
 * Exotel's published expectation for its own unplanned downtime: "normally fixed within 2 - 4
 * hours". Past the upper bound the incident escalates.
 */
export const EXOTEL_RESTORE_HOURS = { from: 2, by: 4 } as const;

/** "RCA for these downtimes will be shared by us within 72 hrs of the issue being resolved." */
const RCA_DUE_HOURS = 72;

const HOUR_MS = 3_600_000;

/** When restoration is expected, as far as anyone can say. */
export interface ExpectedRestore {
  readonly from: Date | null;
  readonly by: Date | null;
}

/**
 * Expected restoration: a planned incident ends with its maintenance window; an Exotel-specific
 * unplanned incident is expected over 2-4 h after it opened; an operator's unplanned downtime has
 * no ETA Exotel can promise.
 */
export function expectedRestore(
  origin: IncidentOrigin,
  planned: boolean,
  openedAt: Date,
  windowEndsAt: Date | null,
): ExpectedRestore {
  if (planned) return { from: null, by: windowEndsAt };
  if (origin !== 'exotel') return { from: null, by: null };
  return {
    from: new Date(openedAt.getTime() + EXOTEL_RESTORE_HOURS.from * HOUR_MS),
    by: new Date(openedAt.getTime() + EXOTEL_RESTORE_HOURS.by * HOUR_MS),
  };
}

/**
 * When the RCA is due: 72 h after resolution for Exotel-specific unplanned incidents; none for
 * operator-related ones (the RCA depends on the operator) or planned work.
 */
export function rcaDueAt(origin: IncidentOrigin, planned: boolean, resolvedAt: Date | null): Date | null {
  if (!resolvedAt || planned || origin !== 'exotel') return null;
  return new Date(resolvedAt.getTime() + RCA_DUE_HOURS * HOUR_MS);
}
