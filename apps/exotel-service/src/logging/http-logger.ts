import { requestIdOf } from 'nestjs-exotel';
import type { Logger as Pino } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { redactUrl } from './redact';

/**
 * Request logging and request ids: every request gets an id (taken from a well-formed
 * `X-Request-Id` or generated), echoed in the `X-Request-Id` response header and in error bodies.
 * Logged URLs keep their query parameter names but not their values (`redactUrl`); auth headers
 * are never logged.
 */
export function createHttpLogger(logger: Pino): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (request, response) => {
      const id = requestIdOf(request);
      response.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: {
      ignore: (request) => (request.url ?? '').startsWith('/health') || request.url === '/metrics',
    },
    serializers: {
      req: (request: { id: unknown; method: string; url: string; headers: Record<string, unknown> }) => ({
        id: request.id,
        method: request.method,
        url: redactUrl(request.url),
        userAgent: request.headers['user-agent'],
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  });
}
