import { Injectable } from '@nestjs/common';
import type { FindOptionsWhere } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import type { IncidentTicketInput, OpenTicketInput, TicketListFilter } from './support-sla.types';
import { toSupportTicket, type SupportTicket } from './support-ticket';
import { TicketExistsForIncidentError, TicketNotFoundError } from './ticket.errors';
import { TicketOpening } from './ticket-opening';
import { pausesByTicket } from './ticket-records';
import { TicketTransitions } from './ticket-transitions';
import { TicketEntity } from './ticket.entity';

/**
 * Support tickets measured against Exotel's support SLA: acknowledgement and response clocks that
 * run in the plan's coverage hours, with the response clock paused while waiting on the customer.
 * Every change is one transaction that also appends its events (`ticket.created`,
 * `ticket.resolved`, and `sla.breached` when a metric is met late); warnings and breaches of
 * running clocks come from the SLA watch job. Tickets are opened by `TicketOpening` and changed by
 * `TicketTransitions`; their clocks are evaluated as they are read (`toSupportTicket`).
 */
@Injectable()
export class SupportSlaService {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
    private readonly opening: TicketOpening,
    private readonly transitions: TicketTransitions,
  ) {}

  /**
   * Opens a ticket and publishes `ticket.created`. The policy version in force at `openedAt` is
   * pinned on the ticket. Throws `ValidationFailedError` for a future `openedAt` or a missing
   * severity, `TicketExistsForIncidentError` when the incident has a ticket already.
   */
  open(input: OpenTicketInput): Promise<SupportTicket> {
    return this.opening.open(input);
  }

  /**
   * Opens the ticket of an incident, or returns the one it has: safe to call again for the same
   * incident (event redelivery, several replicas). Severity 1 for outages, 2 for degraded
   * performance.
   */
  async openForIncident(input: IncidentTicketInput): Promise<{ ticket: SupportTicket; created: boolean }> {
    const existing = await this.opening.findByIncident(input.incidentId);
    if (existing) return { ticket: await this.get(existing.id), created: false };
    try {
      const ticket = await this.open({
        title: input.title,
        incident: { id: input.incidentId, kind: input.kind },
        // An incident noticed just now must not be refused for a clock a few ms behind.
        openedAt: new Date(Math.min(input.openedAt.getTime(), this.clock.now().getTime())),
      });
      return { ticket, created: true };
    } catch (error) {
      if (!(error instanceof TicketExistsForIncidentError)) throw error;
      return { ticket: await this.get(error.ticketId), created: false };
    }
  }

  /** The ticket with its clocks evaluated now. Throws `TicketNotFoundError`. */
  async get(id: string): Promise<SupportTicket> {
    const now = this.clock.now();
    const found = await this.db.read(async (manager) => {
      const ticket = await manager.findOneBy(TicketEntity, { id });
      return ticket ? { ticket, pauses: (await pausesByTicket(manager, [id])).get(id) ?? [] } : undefined;
    });
    if (!found) throw new TicketNotFoundError(id);
    return toSupportTicket(found.ticket, found.pauses, now);
  }

  /** Tickets, newest first. */
  async list(filter: TicketListFilter = {}): Promise<SupportTicket[]> {
    const now = this.clock.now();
    const where: FindOptionsWhere<TicketEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.severity) where.severity = filter.severity;
    if (filter.incidentId) where.incidentId = filter.incidentId;
    const { tickets, pauses } = await this.db.read(async (manager) => {
      const tickets = await manager.find(TicketEntity, {
        where,
        order: { openedAt: 'DESC', id: 'DESC' },
        take: Math.min(Math.max(filter.limit ?? 50, 1), 200),
      });
      return {
        tickets,
        pauses: await pausesByTicket(
          manager,
          tickets.map((t) => t.id),
        ),
      };
    });
    return tickets.map((ticket) => toSupportTicket(ticket, pauses.get(ticket.id) ?? [], now));
  }

  /** Stops the acknowledgement clock. 409 once acknowledged or resolved. */
  acknowledge(id: string): Promise<SupportTicket> {
    return this.transitions.acknowledge(id);
  }

  /**
   * Stops the response clock; a response also acknowledges, and ends a wait on the customer.
   * 409 once responded or resolved.
   */
  respond(id: string): Promise<SupportTicket> {
    return this.transitions.respond(id);
  }

  /**
   * Waits on the customer: the response clock stops (the acknowledgement clock does not).
   * 409 when already waiting, responded or resolved.
   */
  pause(id: string): Promise<SupportTicket> {
    return this.transitions.pause(id);
  }

  /** The customer answered: the response clock runs again. 409 unless waiting on the customer. */
  resume(id: string): Promise<SupportTicket> {
    return this.transitions.resume(id);
  }

  /**
   * Resolves the ticket and publishes `ticket.resolved`. A resolution answers the customer, so a
   * metric not met before is met now (and breached if that is late). 409 once resolved.
   */
  resolve(id: string): Promise<SupportTicket> {
    return this.transitions.resolve(id);
  }
}
