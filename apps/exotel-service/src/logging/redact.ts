// Query parameters that carry secrets: webhook keys and anything token-like.
const SECRET_QUERY = /([?&](?:key|token|secret|api_?key|api_?token|password)=)[^&#]*/gi;

// Stream URLs Exotel reports to a Passthru (`Stream[StreamUrl]=`, or inside a JSON `Stream=`) carry
// the stream's own credentials and secrets.
const STREAM_URL_QUERY = /([?&](?:Stream(?:%5B|\[)StreamUrl(?:%5D|\])|Stream)=)[^&#]*/gi;

/** The URL with secret query values replaced, for request logs. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_QUERY, '$1[redacted]').replace(STREAM_URL_QUERY, '$1[redacted]');
}

/** Log paths pino blanks out wherever they appear. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.apiToken',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.authorization',
];
