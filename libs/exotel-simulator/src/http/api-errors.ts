import { restException, v2Error, type Reply } from './reply';
import type { ApiFamily } from './route';

/** Exotel's message for each status, where one was observed; otherwise the HTTP reason. */
const MESSAGES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Authentication is required to view this resource.',
  402: 'Payment Required: the plan or usage limits of this account do not allow this request',
  403: 'Your account is not yet KYC compliant. This is mandatory by TRAI guidelines to connect outbound voice calls.',
  404: 'The requested resource was not found',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable; ',
};

/** Observed `Code`s: the 503 on Calls/connect carried 35008. */
const CODES: Record<number, number> = { 503: 35008 };

/** v2 `error_data.code` (1000 is the observed "Not Found"; the rest are not published). */
const V2_CODES: Record<number, number> = { 404: 1000 };

const GATEWAY_TIMEOUT_HTML =
  '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n';

/** What varies in an error answer. */
export interface ApiErrorInit {
  readonly family: ApiFamily;
  readonly status: number;
  readonly requestId: string;
  readonly method: string;
  readonly message?: string;
  readonly code?: number | string;
  readonly headers?: Record<string, string>;
}

/**
 * An error answer in the envelope of the API family: v1 and v2_beta `RestException`, v2
 * `{request_id,…,response:{error_data}}`. A 504 is the gateway's HTML page, as a proxy would send it.
 */
export function apiError(init: ApiErrorInit): Reply {
  if (init.status === 504) {
    return {
      status: 504,
      body: GATEWAY_TIMEOUT_HTML,
      format: 'raw',
      contentType: 'text/html',
      headers: init.headers,
    };
  }
  const message = init.message ?? MESSAGES[init.status] ?? 'Error';
  if (init.family === 'v2') {
    return v2Error(
      init.status,
      init.requestId,
      init.method,
      { code: init.code ?? V2_CODES[init.status] ?? init.status, message: message.replace(/[;\s]+$/, '') },
      init.headers,
    );
  }
  return restException(init.status, message, init.code ?? CODES[init.status], init.headers);
}
