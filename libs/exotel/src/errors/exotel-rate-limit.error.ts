import { ExotelApiError, ExotelApiErrorInit } from './exotel-api.error';

/**
 * A request was refused for exceeding a rate limit: either Exotel answered 429
 * (`source: 'exotel'`) or the local per-account budget had no room within the allowed wait
 * (`source: 'local'`, nothing was sent). Safe to retry after `retryAfterMs`.
 */
export class ExotelRateLimitError extends ExotelApiError {
  override readonly code = 'EXOTEL_RATE_LIMITED';
  override readonly httpStatus = 429;

  constructor(
    init: ExotelApiErrorInit,
    readonly source: 'exotel' | 'local',
    readonly retryAfterMs?: number,
    /**
     * Local refusals only: `shutdown` when the request stopped waiting for room because the
     * application is shutting down (`ExotelShutdown`), rather than after the budget's own wait.
     */
    readonly reason: 'exhausted' | 'shutdown' = 'exhausted',
  ) {
    super(
      init,
      source === 'exotel'
        ? `Exotel rate-limited ${init.method} ${init.path} (HTTP 429)` +
            (retryAfterMs !== undefined ? `; retry after ${retryAfterMs} ms` : '')
        : reason === 'shutdown'
          ? `${init.method} ${init.path} was waiting for room in the local Exotel rate budget when the ` +
            'application began shutting down; nothing was sent. Retry on another instance.'
          : `Local Exotel rate budget exhausted for ${init.method} ${init.path}; nothing was sent. ` +
            'Retry later or raise rateLimit.voiceRequestsPerMinute if your Exotel plan allows it.',
    );
  }
}
