import { ExotelError } from '../errors/exotel.error';

/** A Passthru request without a CallSid: nothing to record it against. */
export class PassthruInvalidError extends ExotelError {
  readonly code = 'PASSTHRU_INVALID';
  override readonly httpStatus = 400;

  constructor(reason: string) {
    super(`The Passthru request is not usable: ${reason}. Point the Passthru applet at this URL unchanged.`);
  }
}

/** The number an agent asked to transfer to is not a phone number. */
export class TransferNumberInvalidError extends ExotelError {
  readonly code = 'TRANSFER_NUMBER_INVALID';
  override readonly httpStatus = 400;

  constructor() {
    super(
      'The transfer target is not a valid phone number. Give an E.164 number such as +919812345678 ' +
        '(or a 10-digit Indian mobile).',
    );
  }
}

/** The session is over: nothing can be sent, marked or transferred any more. */
export class VoiceSessionClosedError extends ExotelError {
  readonly code = 'VOICE_SESSION_CLOSED';
  override readonly httpStatus = 409;

  constructor(action: string) {
    super(`Cannot ${action}: the stream has ended. Stop using the session once its iterator finishes.`);
  }
}
