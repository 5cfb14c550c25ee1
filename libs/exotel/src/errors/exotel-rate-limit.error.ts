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
  ) {
    super(
      init,
      source === 'local'
        ? `Local Exotel rate budget exhausted for ${init.method} ${init.path}; nothing was sent. ` +
            'Retry later or raise rateLimit.voiceRequestsPerMinute if your Exotel plan allows it.'
        : `Exotel rate-limited ${init.method} ${init.path} (HTTP 429)` +
            (retryAfterMs !== undefined ? `; retry after ${retryAfterMs} ms` : ''),
    );
  }
}
