import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the one the logging middleware assigned (`req.id`), else a well-formed
 * `X-Request-Id` header, else a new UUID that is remembered on the request.
 */
export function requestIdOf(request: IncomingMessage & { id?: unknown }): string {
  if (typeof request.id === 'string' || typeof request.id === 'number') return String(request.id);
  const header = request.headers[REQUEST_ID_HEADER];
  const id = typeof header === 'string' && SAFE_ID.test(header) ? header : randomUUID();
  request.id = id;
  return id;
}
