/**
 * Base class of every error the library throws on purpose.
 *
 * Each subclass carries a stable machine-readable `code` (safe to branch on and to show to API
 * clients) and the HTTP status a controller answers with when the error reaches it. Messages say
 * what went wrong and how to fix it; they never contain credentials, webhook secrets or stream
 * tokens.
 */
export abstract class ExotelError extends Error {
  /** Stable machine-readable code, e.g. `EXOTEL_TIMEOUT`. */
  abstract readonly code: string;

  /** HTTP status used when this error is answered by one of our controllers. */
  readonly httpStatus: number = 500;

  /** Structured, non-secret details that help the caller act on the error. */
  readonly details?: Readonly<Record<string, unknown>>;

  protected constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options?.details) this.details = Object.freeze({ ...options.details });
  }
}
