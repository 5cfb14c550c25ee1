import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';
import { Duration } from 'luxon';
import type { SlaClockState } from '../sla-clock';
import type { CoverageHours, SupportPlan, TicketSeverity } from '../sla-policy';
import type { SupportTicket, TicketStatus } from '../support-ticket';

/** One SLA clock as the API shows it. */
export class SlaClockResponse {
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null while paused' })
  dueAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  metAt!: string | null;

  @ApiProperty({ description: 'Met late, or not met and past due' })
  breached!: boolean;

  @ApiProperty({ example: 'PT1H30M', description: 'Coverage time left (ISO 8601 duration), frozen once met' })
  remaining!: string;

  @ApiProperty({ description: 'Stopped while waiting on the customer' })
  paused!: boolean;
}

/** Coverage hours of a ticket's plan. */
class CoverageResponse {
  @ApiProperty({ enum: ['always', 'daily'] })
  kind!: 'always' | 'daily';

  @ApiPropertyOptional({ example: 'Asia/Kolkata' })
  timeZone?: string;

  @ApiPropertyOptional({ example: '08:00' })
  from?: string;

  @ApiPropertyOptional({ example: '22:00', description: 'Exclusive' })
  to?: string;
}

/** The SLA pinned on a ticket. */
export class TicketSlaResponse {
  @ApiProperty({ enum: ['policy', 'third_party'] })
  source!: 'policy' | 'third_party';

  @ApiProperty({ nullable: true, type: String })
  integration!: string | null;

  @ApiProperty()
  acknowledgementMinutes!: number;

  @ApiProperty()
  responseMinutes!: number;

  @ApiProperty({ type: CoverageResponse })
  coverage!: CoverageHours;
}

/** A time the ticket waited on the customer. */
export class TicketPauseResponse {
  @ApiProperty({ format: 'date-time' })
  pausedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resumedAt!: string | null;
}

/** A ticket, as `GET /tickets/:id` and every ticket action answer it. */
export class TicketResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: Number, minimum: 1, maximum: 4 })
  severity!: TicketSeverity;

  @ApiProperty({ enum: ['enterprise', 'sme', 'smb'] })
  plan!: SupportPlan;

  @ApiProperty({ enum: ['open', 'waiting_on_customer', 'resolved'] })
  status!: TicketStatus;

  @ApiProperty({ description: 'Policy version in force when the ticket opened', example: 'exotel-v1' })
  policyVersion!: string;

  @ApiProperty({ type: TicketSlaResponse })
  sla!: TicketSlaResponse;

  @ApiProperty({ nullable: true, type: String })
  incidentId!: string | null;

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  acknowledgedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  respondedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolvedAt!: string | null;

  @ApiProperty({ type: [TicketPauseResponse] })
  pauses!: TicketPauseResponse[];

  @ApiProperty({ type: SlaClockResponse })
  acknowledgement!: SlaClockResponse;

  @ApiProperty({ type: SlaClockResponse })
  response!: SlaClockResponse;
}

/** Answer of `GET /tickets`. */
export class TicketListResponse {
  @ApiProperty({ type: [TicketResponse] })
  items!: TicketResponse[];
}

/** The API view of a ticket: instants in ISO 8601, remaining time as an ISO 8601 duration. */
export function toTicketResponse(ticket: SupportTicket): TicketResponse {
  return {
    id: ticket.id,
    title: ticket.title,
    severity: ticket.severity,
    plan: ticket.plan,
    status: ticket.status,
    policyVersion: ticket.policyVersion,
    sla: ticket.sla,
    incidentId: ticket.incidentId,
    openedAt: ticket.openedAt.toISOString(),
    acknowledgedAt: iso(ticket.acknowledgedAt),
    respondedAt: iso(ticket.respondedAt),
    resolvedAt: iso(ticket.resolvedAt),
    pauses: ticket.pauses.map((p) => ({ pausedAt: p.pausedAt.toISOString(), resumedAt: iso(p.resumedAt) })),
    acknowledgement: clockResponse(ticket.acknowledgement),
    response: clockResponse(ticket.response),
  };
}

function clockResponse(state: SlaClockState): SlaClockResponse {
  return {
    dueAt: iso(state.dueAt),
    metAt: iso(state.metAt),
    breached: state.breached,
    // Whole seconds: the clocks are kept in milliseconds, nobody acts on less than a second.
    remaining: Duration.fromMillis(Math.floor(state.remainingMs / 1000) * 1000)
      .shiftTo('hours', 'minutes', 'seconds')
      .toISO(),
    paused: state.paused,
  };
}

function iso(instant: Date | null): string | null {
  return instant ? instant.toISOString() : null;
}
