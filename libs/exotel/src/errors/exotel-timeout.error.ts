import { ExotelError } from './exotel.error';

/**
 * Exotel did not answer in time.
 *
 * `phase: 'connect'` means no connection was established, so Exotel cannot have received the
 * request (`mayHaveBeenReceived: false`). `phase: 'response'` means the request was sent and no
 * answer came back: Exotel may have acted on it (for Calls/connect, the call may have been placed),
 * so a non-idempotent request must not be retried blindly.
 */
export class ExotelTimeoutError extends ExotelError {
  readonly code = 'EXOTEL_TIMEOUT';
  override readonly httpStatus = 504;
  readonly mayHaveBeenReceived: boolean;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly phase: 'connect' | 'response',
    readonly timeoutMs: number,
  ) {
    super(
      phase === 'connect'
        ? `Could not connect to Exotel for ${method} ${path} within ${timeoutMs} ms; the request was not sent.`
        : `Exotel did not answer ${method} ${path} within ${timeoutMs} ms; the request may have been received and acted on.`,
      { details: { phase, timeoutMs, mayHaveBeenReceived: phase === 'response' } },
    );
    this.mayHaveBeenReceived = phase === 'response';
  }
}
