import { ExotelApiError, ExotelApiErrorInit } from './exotel-api.error';

/**
 * Exotel refused the credentials (401) or the account may not use the resource (403, for example
 * an account that is not yet KYC compliant). Retrying does not help; fix the credentials or the
 * account.
 */
export class ExotelAuthError extends ExotelApiError {
  override readonly code = 'EXOTEL_AUTH_FAILED';

  constructor(init: ExotelApiErrorInit) {
    super(
      init,
      init.status === 401
        ? `Exotel rejected the API credentials for ${init.method} ${init.path} (HTTP 401). ` +
            'Check the API key, API token and account SID under Dashboard > Settings > API Settings, ' +
            'and that the region (api.exotel.com or api.in.exotel.com) matches the account.'
        : `Exotel refused ${init.method} ${init.path} (HTTP ${init.status})` +
            (init.exotelMessage ? `: ${init.exotelMessage}` : '') +
            '. The credentials are valid but the account may not use this resource.',
    );
  }
}
