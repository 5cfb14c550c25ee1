// Query parameters whose values are logged as they are: the management API's filters and paging,
// which never carry a credential. Every other value is redacted, whatever its name: a secret can
// arrive as `?key=`, `?access_token=`, `?key[]=`, or under a name nobody thought of.
const SAFE_QUERY_PARAMETERS = new Set([
  'status',
  'outcome',
  'state',
  'direction',
  'region',
  'severity',
  'limit',
  'offset',
]);

const REDACTED = '[redacted]';

/**
 * The URL with its query values redacted, for request logs: the path and the parameter names stay
 * (so a reader sees which parameters came), every value is `[redacted]` except those of a few
 * known-safe filters (`status`, `limit`...). A parameter without `=` is redacted whole: its name
 * may be the secret.
 */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      if (equals < 0) return part === '' ? part : REDACTED;
      const name = part.slice(0, equals);
      return SAFE_QUERY_PARAMETERS.has(decodedName(name)) ? part : `${name}=${REDACTED}`;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
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
