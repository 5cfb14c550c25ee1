import { ExotelError } from './exotel.error';

/**
 * The connection to Exotel failed without an HTTP answer. `mayHaveBeenReceived` is false only when
 * the failure happened before the request could be written (DNS failure, connection refused);
 * a reset after sending leaves the outcome unknown.
 */
export class ExotelNetworkError extends ExotelError {
  readonly code = 'EXOTEL_NETWORK_ERROR';
  override readonly httpStatus = 502;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly syscallCode: string | undefined,
    readonly mayHaveBeenReceived: boolean,
    cause?: unknown,
  ) {
    super(
      `Network error talking to Exotel for ${method} ${path}` +
        (syscallCode ? ` (${syscallCode})` : '') +
        (mayHaveBeenReceived ? '; the request may have been received.' : '; the request was not sent.'),
      { cause, details: { syscallCode, mayHaveBeenReceived } },
    );
  }
}
