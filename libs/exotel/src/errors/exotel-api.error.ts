import { ExotelError } from './exotel.error';

/** What Exotel answered, as far as the library could read it. */
export interface ExotelApiErrorInit {
  /** HTTP status returned by Exotel. */
  readonly status: number;
  /** Exotel's own error code (`RestException.Code` or v2 `error_data.code`), when present. */
  readonly exotelCode?: number | string;
  /** Exotel's message, when present. */
  readonly exotelMessage?: string;
  /** HTTP method of the request. */
  readonly method: string;
  /** Request path with the account SID masked. */
  readonly path: string;
}

/**
 * Exotel answered with an error status. `status` is Exotel's HTTP status; `exotelCode` and
 * `exotelMessage` come from the `RestException` (v1) or `error_data` (v2) envelope.
 */
export class ExotelApiError extends ExotelError {
  readonly code: string = 'EXOTEL_API_ERROR';
  override readonly httpStatus: number = 502;
  readonly status: number;
  readonly exotelCode?: number | string;
  readonly exotelMessage?: string;
  readonly method: string;
  readonly path: string;

  constructor(init: ExotelApiErrorInit, message?: string) {
    super(
      message ??
        `Exotel answered ${init.method} ${init.path} with HTTP ${init.status}` +
          (init.exotelMessage ? `: ${init.exotelMessage}` : '') +
          (init.exotelCode !== undefined ? ` (code ${init.exotelCode})` : ''),
      { details: { status: init.status, exotelCode: init.exotelCode, exotelMessage: init.exotelMessage } },
    );
    this.status = init.status;
    this.exotelCode = init.exotelCode;
    this.exotelMessage = init.exotelMessage;
    this.method = init.method;
    this.path = init.path;
  }
}
