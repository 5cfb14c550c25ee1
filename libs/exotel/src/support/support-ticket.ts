import { CoverageCalendar } from './coverage-calendar';
import { evaluateSlaClock, type PauseInterval, type SlaClockInput, type SlaClockState } from './sla-clock';
import type { CoverageHours, SupportPlan, TicketSeverity } from './sla-policy';
import type { TicketPauseEntity } from './ticket-pause.entity';
import type { TicketEntity } from './ticket.entity';

/** Where a ticket is: worked on, waiting on the customer (response clock paused), or resolved. */
export type TicketStatus = 'open' | 'waiting_on_customer' | 'resolved';

/** The two measured metrics of a ticket. */
export type SlaMetric = 'acknowledgement' | 'response';

/** The SLA a ticket is measured against, as pinned when it opened. */
export interface TicketSla {
  /** `policy`: Exotel's table; `third_party`: an integration's own SLA, given when the ticket opened. */
  readonly source: 'policy' | 'third_party';
  /** The integration, for a third-party SLA. */
  readonly integration: string | null;
  readonly acknowledgementMinutes: number;
  readonly responseMinutes: number;
  readonly coverage: CoverageHours;
}

/** A ticket with both SLA clocks evaluated at an instant; what `SupportSlaService` returns. */
export interface SupportTicket {
  readonly id: string;
  readonly title: string;
  readonly severity: TicketSeverity;
  readonly plan: SupportPlan;
  readonly status: TicketStatus;
  /** Id of the policy version in force when the ticket opened. */
  readonly policyVersion: string;
  readonly sla: TicketSla;
  readonly incidentId: string | null;
  readonly openedAt: Date;
  readonly acknowledgedAt: Date | null;
  readonly respondedAt: Date | null;
  readonly resolvedAt: Date | null;
  /** Times spent waiting on the customer, oldest first. */
  readonly pauses: readonly PauseInterval[];
  readonly acknowledgement: SlaClockState;
  readonly response: SlaClockState;
}

/** The coverage stored on a ticket. */
function coverageOf(ticket: TicketEntity): CoverageHours {
  return ticket.coverageTimeZone && ticket.coverageFrom && ticket.coverageTo
    ? { kind: 'daily', timeZone: ticket.coverageTimeZone, from: ticket.coverageFrom, to: ticket.coverageTo }
    : { kind: 'always' };
}

/**
 * The inputs of a ticket's two clocks. The acknowledgement clock never pauses: waiting on the
 * customer only stops the response clock.
 */
export function clockInputs(
  ticket: TicketEntity,
  pauses: readonly TicketPauseEntity[],
): Record<SlaMetric, SlaClockInput> {
  const calendar = new CoverageCalendar(coverageOf(ticket));
  return {
    acknowledgement: {
      calendar,
      startedAt: ticket.openedAt,
      targetMinutes: ticket.acknowledgementTargetMinutes,
      metAt: ticket.acknowledgedAt,
    },
    response: {
      calendar,
      startedAt: ticket.openedAt,
      targetMinutes: ticket.responseTargetMinutes,
      pauses: pauses.map((p) => ({ pausedAt: p.pausedAt, resumedAt: p.resumedAt })),
      metAt: ticket.respondedAt,
    },
  };
}

/** The ticket as users see it, with its clocks evaluated at `now`. */
export function toSupportTicket(
  ticket: TicketEntity,
  pauses: readonly TicketPauseEntity[],
  now: Date,
): SupportTicket {
  const inputs = clockInputs(ticket, pauses);
  return {
    id: ticket.id,
    title: ticket.title,
    severity: ticket.severity as TicketSeverity,
    plan: ticket.plan as SupportPlan,
    status: ticket.status as TicketStatus,
    policyVersion: ticket.policyVersion,
    sla: {
      source: ticket.slaSource as TicketSla['source'],
      integration: ticket.thirdPartyIntegration,
      acknowledgementMinutes: ticket.acknowledgementTargetMinutes,
      responseMinutes: ticket.responseTargetMinutes,
      coverage: coverageOf(ticket),
    },
    incidentId: ticket.incidentId,
    openedAt: ticket.openedAt,
    acknowledgedAt: ticket.acknowledgedAt,
    respondedAt: ticket.respondedAt,
    resolvedAt: ticket.resolvedAt,
    pauses: inputs.response.pauses ?? [],
    acknowledgement: evaluateSlaClock(inputs.acknowledgement, now),
    response: evaluateSlaClock(inputs.response, now),
  };
}
