import type { ServerResponse, IncomingMessage } from 'node:http';
import type { ExotelError } from '../errors/exotel.error';
import { requestIdOf } from './request-id';

/** The one JSON error shape of every HTTP answer: a stable code, a message that says what to fix, the request id. */
export interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
  details?: Readonly<Record<string, unknown>>;
}

/** Builds the error body for an `ExotelError`. */
function errorBodyOf(
  error: Pick<ExotelError, 'code' | 'message' | 'details'>,
  request: IncomingMessage,
): ErrorBody {
  const body: ErrorBody = { code: error.code, message: error.message, requestId: requestIdOf(request) };
  if (error.details) body.details = error.details;
  return body;
}

/** Writes an error straight to a Node response; used where Nest's exception filters do not reach. */
export function writeErrorResponse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  error: Pick<ExotelError, 'code' | 'message' | 'details'>,
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify(errorBodyOf(error, request));
  response.statusCode = status;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}
