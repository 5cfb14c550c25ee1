import { ExotelError } from '../errors/exotel.error';
import { ExotelNotFoundError } from '../errors/exotel-not-found.error';
import type { CallDirection } from './exophone-health.types';

/**
 * No ExoPhone can carry the call: the preferred one is down in this direction, and neither Exotel's
 * alternate nor any ExoPhone of the failover pool is known to be healthy.
 */
export class NoHealthyCallerIdError extends ExotelError {
  readonly code = 'NO_HEALTHY_CALLER_ID';
  override readonly httpStatus = 503;

  constructor(
    readonly preferred: string,
    readonly direction: CallDirection,
    readonly preferredState: string,
  ) {
    super(
      `ExoPhone ${preferred} is ${preferredState} for ${direction} calls and no alternate or pool ExoPhone is healthy. ` +
        'Add healthy ExoPhones to exophones.failoverPool, or retry when Exotel reports the number active again.',
      { details: { preferred, direction, preferredState } },
    );
  }
}

/** No ExoPhone of the account has this SID (it is neither in the inventory nor seen in heartbeats). */
export class ExoPhoneNotFoundError extends ExotelNotFoundError {
  override readonly code = 'EXOPHONE_NOT_FOUND';

  constructor(sid: string) {
    super('ExoPhone', sid);
  }
}
