import { ExotelError } from './exotel.error';

/** A resource of ours (a call, an ExoPhone, an incident, a ticket...) does not exist. */
export class ExotelNotFoundError extends ExotelError {
  readonly code: string = 'NOT_FOUND';
  override readonly httpStatus = 404;

  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${JSON.stringify(id)} was not found.`, { details: { resource, id } });
  }
}
