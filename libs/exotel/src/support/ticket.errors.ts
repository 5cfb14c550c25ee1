import { ExotelError } from '../errors/exotel.error';
import { ExotelNotFoundError } from '../errors/exotel-not-found.error';

/** No ticket has this id. */
export class TicketNotFoundError extends ExotelNotFoundError {
  override readonly code = 'TICKET_NOT_FOUND';

  constructor(id: string) {
    super('Ticket', id);
  }
}

/** What was asked of a ticket; names the action in `TicketStateConflictError`. */
export type TicketAction = 'acknowledge' | 'respond' | 'pause' | 'resume' | 'resolve';

const PARTICIPLE: Readonly<Record<TicketAction, string>> = {
  acknowledge: 'acknowledged',
  respond: 'responded to',
  pause: 'paused',
  resume: 'resumed',
  resolve: 'resolved',
};

/** The ticket's state does not allow the action (e.g. acknowledging a resolved ticket). */
export class TicketStateConflictError extends ExotelError {
  readonly code = 'TICKET_STATE_CONFLICT';
  override readonly httpStatus = 409;

  constructor(
    readonly ticketId: string,
    readonly action: TicketAction,
    readonly reason: string,
  ) {
    super(
      `Ticket ${ticketId} cannot be ${PARTICIPLE[action]}: ${reason}. Fetch the ticket to see its state.`,
      {
        details: { ticketId, action, reason },
      },
    );
  }
}

/** A ticket for this incident exists already; one incident has one ticket. */
export class TicketExistsForIncidentError extends ExotelError {
  readonly code = 'TICKET_EXISTS_FOR_INCIDENT';
  override readonly httpStatus = 409;

  constructor(
    readonly incidentId: string,
    readonly ticketId: string,
  ) {
    super(`Incident ${incidentId} already has ticket ${ticketId}; update that ticket instead.`, {
      details: { incidentId, ticketId },
    });
  }
}
