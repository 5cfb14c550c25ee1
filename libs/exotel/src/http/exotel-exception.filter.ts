import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ExotelError } from '../errors/exotel.error';
import { logLine, stackOf } from '../logging/log-line';
import { writeErrorResponse } from './error-response';

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * Answers every error with `{ code, message, requestId }`. Library errors keep their own code and
 * status; Nest's HTTP exceptions get a code from their status; anything else is a 500 whose details
 * stay in the server log, never in the response.
 */
@Catch()
export class ExotelExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ExotelExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();

    if (exception instanceof ExotelError) {
      if (exception.httpStatus >= 500) this.logger.warn(logLine(exception.message, { code: exception.code }));
      writeErrorResponse(request, response, exception.httpStatus, exception);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      writeErrorResponse(request, response, status, {
        code: CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST'),
        message: messageOf(exception),
      });
      return;
    }
    this.logger.error(logLine('Unhandled error', { err: exception }), stackOf(exception));
    writeErrorResponse(request, response, HttpStatus.INTERNAL_SERVER_ERROR, {
      code: 'INTERNAL_ERROR',
      message: 'Something went wrong on our side; the request id identifies it in the logs.',
    });
  }
}

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
