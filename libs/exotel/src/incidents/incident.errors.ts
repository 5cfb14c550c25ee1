import { ExotelError } from '../errors/exotel.error';
import { ExotelNotFoundError } from '../errors/exotel-not-found.error';

/** No incident has this id. */
export class IncidentNotFoundError extends ExotelNotFoundError {
  override readonly code = 'INCIDENT_NOT_FOUND';

  constructor(id: string) {
    super('Incident', id);
  }
}

/** The scope is well formed but names nothing we know (a region or ExoPhone not in the inventory). */
export class UnknownScopeError extends ExotelError {
  readonly code = 'UNKNOWN_SCOPE';
  override readonly httpStatus = 422;

  constructor(readonly scope: string) {
    super(
      `Scope ${JSON.stringify(scope)} names no region or ExoPhone of the account. Use exotel, api:latency, ` +
        'region:<circle> of an ExoPhone in GET /exophones, or exophone:<sid>.',
      { details: { scope } },
    );
  }
}

/** An incident of this scope is open already; one scope has one open incident. */
export class IncidentAlreadyOpenError extends ExotelError {
  readonly code = 'INCIDENT_ALREADY_OPEN';
  override readonly httpStatus = 409;

  constructor(
    readonly scope: string,
    readonly incidentId: string,
  ) {
    super(`Incident ${incidentId} is open for ${scope} already; add a note to it instead.`, {
      details: { scope, incidentId },
    });
  }
}

/** What was asked of an incident. */
export type IncidentAction = 'resolve' | 'record the RCA of' | 'reclassify';

/** The incident's state does not allow the action (resolving it twice, an RCA before resolution). */
export class IncidentStateConflictError extends ExotelError {
  readonly code = 'INCIDENT_STATE_CONFLICT';
  override readonly httpStatus = 409;

  constructor(
    readonly incidentId: string,
    readonly action: IncidentAction,
    readonly reason: string,
  ) {
    super(`Cannot ${action} incident ${incidentId}: ${reason}. Fetch the incident to see its state.`, {
      details: { incidentId, action, reason },
    });
  }
}
