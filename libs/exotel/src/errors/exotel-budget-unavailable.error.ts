import { ExotelError } from './exotel.error';

/**
 * The shared request budget (`rateLimit.store`: the database or Redis) could not be reached, so
 * the request was not sent: sending without counting it could push every replica of the account
 * past Exotel's limit. Nothing was sent; safe to retry once the store is back.
 */
export class ExotelBudgetUnavailableError extends ExotelError {
  readonly code = 'EXOTEL_BUDGET_UNAVAILABLE';
  override readonly httpStatus = 503;

  constructor(
    readonly store: string,
    readonly method: string,
    readonly path: string,
    cause?: unknown,
  ) {
    super(
      `The shared Exotel request budget (${store}) is unreachable, so ${method} ${path} was not sent. ` +
        'Check the connection to the store (rateLimit.store, rateLimit.redisUrl); requests resume when it answers.',
      { cause, details: { store } },
    );
  }
}
