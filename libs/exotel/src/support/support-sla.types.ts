import type { SupportPlan, TicketSeverity } from './sla-policy';
import type { TicketStatus } from './support-ticket';

/** The shape of an incident, as far as the support SLA cares. */
export type IncidentKind = 'outage' | 'degraded_performance';

/**
 * Severity of a ticket for an incident, after Exotel's Table A: an outage (calls cannot be
 * completed, server inaccessible, operator downtime) is severity 1; degraded performance (API
 * slow, responses late) is severity 2.
 */
export function severityForIncident(kind: IncidentKind): TicketSeverity {
  return kind === 'outage' ? 1 : 2;
}

/** An integration's own SLA, which replaces Exotel's targets for one ticket. */
export interface ThirdPartySla {
  /** The integration, e.g. `whatsapp-bsp`. */
  readonly integration: string;
  readonly acknowledgementMinutes: number;
  readonly responseMinutes: number;
}

/** What opens a ticket. */
export interface OpenTicketInput {
  readonly title: string;
  /** 1-4; when absent, derived from `incident.kind`. */
  readonly severity?: TicketSeverity;
  /** The incident the ticket is about; one ticket per incident. */
  readonly incident?: { readonly id: string; readonly kind: IncidentKind };
  /** @default the `support.plan` option */
  readonly plan?: SupportPlan;
  /** When the ticket really opened, for tickets imported from elsewhere; not in the future. @default now */
  readonly openedAt?: Date;
  /** Replaces the policy's targets (coverage stays the plan's). */
  readonly thirdPartySla?: ThirdPartySla;
}

/** What `openForIncident` needs; the incidents capability calls it. */
export interface IncidentTicketInput {
  readonly incidentId: string;
  readonly kind: IncidentKind;
  readonly title: string;
  readonly openedAt: Date;
}

/** Filters of `SupportSlaService.list`. */
export interface TicketListFilter {
  readonly status?: TicketStatus;
  readonly severity?: TicketSeverity;
  readonly incidentId?: string;
  /** Newest first, at most this many. @default 50 */
  readonly limit?: number;
}
