import { ExotelError } from './exotel.error';

/** A webhook arrived without a valid secret (`?key=` or HTTP Basic password). */
export class WebhookUnauthorizedError extends ExotelError {
  readonly code = 'WEBHOOK_UNAUTHORIZED';
  override readonly httpStatus = 401;

  constructor() {
    super(
      'Missing or wrong webhook secret. Put a configured secret in the webhook URL as ?key=<secret> or as the HTTP Basic password.',
    );
  }
}

/** A management API call arrived without a valid Bearer key. */
export class ManagementUnauthorizedError extends ExotelError {
  readonly code = 'UNAUTHORIZED';
  override readonly httpStatus = 401;

  constructor() {
    super('Missing or wrong API key. Send "Authorization: Bearer <key>" with a key from SERVICE_API_KEYS.');
  }
}

/** A request body exceeded the size accepted on its route. */
export class PayloadTooLargeError extends ExotelError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  override readonly httpStatus = 413;

  constructor(readonly limitBytes: number) {
    super(`The request body is larger than the ${limitBytes} bytes accepted on this route.`, {
      details: { limitBytes },
    });
  }
}

/** A request body could not be parsed (malformed JSON, broken form encoding). */
export class MalformedBodyError extends ExotelError {
  readonly code = 'MALFORMED_BODY';
  override readonly httpStatus = 400;

  constructor(reason: string) {
    super(`The request body could not be parsed: ${reason}.`);
  }
}

/**
 * A webhook that reads its own body found it already read by a body parser that ran before the
 * module could hide the route from it (one installed on an Express instance before it was handed
 * to Nest). A deployment mistake, answered 500 so the sender retries once it is fixed.
 */
export class BodyAlreadyReadError extends ExotelError {
  readonly code = 'BODY_ALREADY_READ';
  override readonly httpStatus = 500;

  constructor() {
    super(
      'The request body was read before this webhook could read it: a body parser was installed on the ' +
        'Express instance before it was handed to Nest. Install it after NestFactory.create(), or enable ' +
        '{ rawBody: true }.',
    );
  }
}

/** Input failed validation; `violations` names each bad field. */
export class ValidationFailedError extends ExotelError {
  readonly code = 'VALIDATION_FAILED';
  override readonly httpStatus = 400;

  constructor(readonly violations: readonly { field: string; message: string }[]) {
    super(`Invalid input: ${violations.map((v) => `${v.field}: ${v.message}`).join('; ')}.`, {
      details: { violations },
    });
  }
}
