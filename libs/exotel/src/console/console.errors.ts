import { ExotelError } from '../errors/exotel.error';

/** The key typed into the console's sign-in form is not one of `management.apiKeys`. */
export class ConsoleKeyRefusedError extends ExotelError {
  readonly code = 'CONSOLE_KEY_REFUSED';
  override readonly httpStatus = 401;

  constructor() {
    super('That key is not accepted. Sign in with one of the management API keys (SERVICE_API_KEYS).');
  }
}

/** A console request came without a valid session cookie (never signed in, expired, or key rotated). */
export class ConsoleSessionRequiredError extends ExotelError {
  readonly code = 'CONSOLE_SESSION_REQUIRED';
  override readonly httpStatus = 401;

  constructor() {
    super('Sign in to the console first: the session is missing, has expired, or its key was removed.');
  }
}

/** A console action came without its session's anti-forgery token (header `X-Console-Token`). */
export class ConsoleTokenRefusedError extends ExotelError {
  readonly code = 'CONSOLE_TOKEN_REFUSED';
  override readonly httpStatus = 403;

  constructor() {
    super(
      'Missing or wrong X-Console-Token header: console actions carry the token GET <console>/api/session gives.',
    );
  }
}
