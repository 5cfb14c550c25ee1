import { ExotelApiError } from '../errors/exotel-api.error';
import { ExotelNetworkError } from '../errors/exotel-network.error';
import { ExotelBudgetUnavailableError } from '../errors/exotel-budget-unavailable.error';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';

/** What to do after a Calls/connect attempt failed. */
export type AttemptVerdict =
  /** Exotel answered 429: nothing was placed; retry after `retryAfterMs` if the budget allows. */
  | { readonly kind: 'rate_limited'; readonly retryAfterMs?: number; readonly reason: string }
  /** The request never left this process (connect timeout, refused, DNS): retry. */
  | { readonly kind: 'not_sent'; readonly reason: string }
  /** Exotel refused: nothing was placed. */
  | {
      readonly kind: 'failed';
      readonly reason: string;
      readonly status: number | null;
      readonly code: string | null;
    }
  /** The call may or may not have been placed: never retry, reconcile. */
  | { readonly kind: 'unknown'; readonly reason: string; readonly status: number | null };

/**
 * Classifies a failed Calls/connect attempt (design section 4):
 *
 * - 429 from Exotel, or the local budget refusing: nothing sent or placed (`rate_limited`; a local
 *   refusal after the budget's own wait, or when shutdown cut the wait short, is final, `failed`);
 * - the shared budget's store unreachable: nothing sent (`failed`, `EXOTEL_BUDGET_UNAVAILABLE`);
 * - connect timeout, connection refused, DNS: the request was not sent (`not_sent`);
 * - 4xx, and 500/504 (Exotel's "could not originate the call on any route"), and other 5xx that
 *   carry Exotel's own error body: `failed`;
 * - a response timeout, a reset after sending, a 5xx without Exotel's error body, an answer
 *   without a CallSid: `unknown`.
 */
export function classifyAttempt(error: unknown): AttemptVerdict {
  if (error instanceof ExotelRateLimitError) {
    if (error.source === 'local') {
      return {
        kind: 'failed',
        reason:
          error.reason === 'shutdown'
            ? 'the service shut down while the call waited for room in the request budget; nothing sent'
            : `local rate budget exhausted; nothing sent`,
        status: null,
        code: error.code,
      };
    }
    return { kind: 'rate_limited', retryAfterMs: error.retryAfterMs, reason: 'Exotel answered 429' };
  }
  if (error instanceof ExotelBudgetUnavailableError) {
    return {
      kind: 'failed',
      reason: `request budget store (${error.store}) unreachable; nothing sent`,
      status: null,
      code: error.code,
    };
  }
  if (error instanceof ExotelTimeoutError) {
    return error.mayHaveBeenReceived
      ? { kind: 'unknown', reason: `no answer within ${error.timeoutMs} ms after sending`, status: null }
      : { kind: 'not_sent', reason: `could not connect within ${error.timeoutMs} ms` };
  }
  if (error instanceof ExotelNetworkError) {
    return error.mayHaveBeenReceived
      ? {
          kind: 'unknown',
          reason: `connection failed after sending (${error.syscallCode ?? 'network error'})`,
          status: null,
        }
      : { kind: 'not_sent', reason: `request not sent (${error.syscallCode ?? 'network error'})` };
  }
  if (error instanceof ExotelApiError) {
    const code = error.exotelCode === undefined ? null : String(error.exotelCode);
    const message = error.exotelMessage ? `: ${error.exotelMessage}` : '';
    if (error.status < 500) {
      return {
        kind: 'failed',
        reason: `Exotel answered ${error.status}${message}`,
        status: error.status,
        code,
      };
    }
    const provesFailure =
      error.status === 500 ||
      error.status === 504 ||
      error.exotelMessage !== undefined ||
      error.exotelCode !== undefined;
    return provesFailure
      ? {
          kind: 'failed',
          reason: `Exotel could not originate the call (${error.status}${message})`,
          status: error.status,
          code,
        }
      : {
          kind: 'unknown',
          reason: `Exotel answered ${error.status} without proof of failure`,
          status: error.status,
        };
  }
  return {
    kind: 'unknown',
    reason: `unexpected error ${error instanceof Error ? error.name : typeof error}`,
    status: null,
  };
}
