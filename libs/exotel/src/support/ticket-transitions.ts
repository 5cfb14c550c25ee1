import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import { SlaSignals } from './sla-signals';
import { toSupportTicket, type SupportTicket } from './support-ticket';
import { TicketNotFoundError, TicketStateConflictError, type TicketAction } from './ticket.errors';
import { lockTicket, pausesByTicket } from './ticket-records';
import { TicketPauseEntity } from './ticket-pause.entity';
import { TicketEntity } from './ticket.entity';

/**
 * The life of an open ticket: acknowledged, responded to, waiting on the customer and back, and
 * resolved. Each change is one transaction on the locked ticket, with the SLA signals it calls
 * for; a change the ticket's state does not allow is a `TicketStateConflictError` (409).
 */
@Injectable()
export class TicketTransitions {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly signals: SlaSignals,
  ) {}

  /** Stops the acknowledgement clock. 409 once acknowledged or resolved. */
  acknowledge(id: string): Promise<SupportTicket> {
    return this.change(id, 'acknowledge', async (ticket, _pauses, _manager, now) => {
      if (ticket.acknowledgedAt) conflict(ticket, 'acknowledge', 'it was acknowledged already');
      ticket.acknowledgedAt = now;
    });
  }

  /**
   * Stops the response clock; a response also acknowledges, and ends a wait on the customer.
   * 409 once responded or resolved.
   */
  respond(id: string): Promise<SupportTicket> {
    return this.change(id, 'respond', async (ticket, pauses, manager, now) => {
      if (ticket.respondedAt) conflict(ticket, 'respond', 'it was responded to already');
      ticket.acknowledgedAt ??= now;
      ticket.respondedAt = now;
      await endPause(manager, ticket, pauses, now);
    });
  }

  /**
   * Waits on the customer: the response clock stops (the acknowledgement clock does not).
   * 409 when already waiting, responded or resolved.
   */
  pause(id: string): Promise<SupportTicket> {
    return this.change(id, 'pause', async (ticket, pauses, manager, now) => {
      if (ticket.status === 'waiting_on_customer')
        conflict(ticket, 'pause', 'it is waiting on the customer already');
      if (ticket.respondedAt)
        conflict(ticket, 'pause', 'its response clock stopped when it was responded to');
      const pause = manager.create(TicketPauseEntity, {
        ticketId: ticket.id,
        pausedAt: now,
        resumedAt: null,
      });
      pauses.push(await manager.save(TicketPauseEntity, pause));
      ticket.status = 'waiting_on_customer';
    });
  }

  /** The customer answered: the response clock runs again. 409 unless waiting on the customer. */
  resume(id: string): Promise<SupportTicket> {
    return this.change(id, 'resume', async (ticket, pauses, manager, now) => {
      if (ticket.status !== 'waiting_on_customer')
        conflict(ticket, 'resume', 'it is not waiting on the customer');
      await endPause(manager, ticket, pauses, now);
    });
  }

  /**
   * Resolves the ticket and publishes `ticket.resolved`. A resolution answers the customer, so a
   * metric not met before is met now (and breached if that is late). 409 once resolved.
   */
  resolve(id: string): Promise<SupportTicket> {
    return this.change(id, 'resolve', async (ticket, pauses, manager, now) => {
      ticket.acknowledgedAt ??= now;
      ticket.respondedAt ??= now;
      await endPause(manager, ticket, pauses, now);
      ticket.resolvedAt = now;
      ticket.status = 'resolved';
      const view = toSupportTicket(ticket, pauses, now);
      await this.events.publish(manager, {
        type: 'ticket.resolved',
        subject: ticket.id,
        data: {
          ticketId: ticket.id,
          resolvedAt: now.toISOString(),
          acknowledgementMet: !view.acknowledgement.breached,
          responseMet: !view.response.breached,
        },
      });
    });
  }

  /**
   * Applies one change to a locked ticket in one transaction, with the SLA signals it calls for
   * afterwards: a metric met late is breached now if the job had not said so yet, and a metric
   * just met gets no warning.
   */
  private async change(
    id: string,
    action: TicketAction,
    apply: (
      ticket: TicketEntity,
      pauses: TicketPauseEntity[],
      manager: EntityManager,
      now: Date,
    ) => Promise<void>,
  ): Promise<SupportTicket> {
    const now = this.clock.now();
    const { ticket, pauses } = await this.db.transaction(async (manager) => {
      const ticket = await lockTicket(manager, this.db.dialect, id);
      if (!ticket) throw new TicketNotFoundError(id);
      if (ticket.resolvedAt) conflict(ticket, action, 'it is resolved');
      const pauses = (await pausesByTicket(manager, [id])).get(id) ?? [];
      await apply(ticket, pauses, manager, now);
      await manager.save(TicketEntity, ticket);
      await this.signals.publishDue(manager, ticket, pauses, now);
      return { ticket, pauses };
    });
    return toSupportTicket(ticket, pauses, now);
  }
}

function conflict(ticket: TicketEntity, action: TicketAction, reason: string): never {
  throw new TicketStateConflictError(ticket.id, action, reason);
}

/** Ends the open pause, if any, at `now`, and puts the ticket back to work. */
async function endPause(
  manager: EntityManager,
  ticket: TicketEntity,
  pauses: TicketPauseEntity[],
  now: Date,
): Promise<void> {
  const open = pauses.find((p) => p.resumedAt === null);
  if (open) {
    open.resumedAt = now;
    await manager.update(TicketPauseEntity, { id: open.id }, { resumedAt: now });
  }
  if (ticket.status === 'waiting_on_customer') ticket.status = 'open';
}
