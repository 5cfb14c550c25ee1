import type { INestApplication } from '@nestjs/common';
import bodyParser from 'body-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MalformedBodyError, PayloadTooLargeError } from '../errors/http-request.errors';
import { writeErrorResponse } from './error-response';

/** Options of `useExotelBodyParsers()`. */
export interface ExotelBodyParserOptions {
  /** Largest JSON or form body accepted on ordinary routes. @default '100kb' */
  limit?: string;
  /** Largest JSON body of `POST .../calls/batches` (10,000 calls take about 1.5 MB). @default '4mb' */
  batchLimit?: string;
}

// The call batch route, under whatever prefix the module's management controllers are mounted.
const BATCH_ROUTE = /\/calls\/batches\/?$/;

/**
 * Optional: JSON and urlencoded body parsing for the whole application with the library's error
 * shape. The module works with Nest's own parser too; this is for hosts that want every route's
 * parse errors answered as `{ code, message, requestId }`. Create the application with
 * `{ bodyParser: false }` and call this before `listen()`. Routes that read their own body (the
 * heartbeat webhook) are left alone either way: the module hides them from every parser.
 *
 * Parse failures are answered with the library's JSON error shape: 413 `PAYLOAD_TOO_LARGE`, 400
 * `MALFORMED_BODY`. Urlencoded bodies are parsed with nested keys, so Exotel's `Legs[0][Status]`
 * arrives as `Legs: [{ Status }]`.
 */
export function useExotelBodyParsers(app: INestApplication, options: ExotelBodyParserOptions = {}): void {
  const limit = options.limit ?? '100kb';
  const parsers: RequestHandler[] = [
    bodyParser.json({ limit }),
    bodyParser.urlencoded({ extended: true, limit, parameterLimit: 1_000 }),
  ];
  const batchParsers: RequestHandler[] = [bodyParser.json({ limit: options.batchLimit ?? '4mb' })];
  app.use((request: Request, response: Response, next: NextFunction) => {
    const batch = request.method === 'POST' && BATCH_ROUTE.test(request.path);
    runInOrder(batch ? batchParsers : parsers, request, response, (error) => {
      if (!error) return next();
      const status = (error as { status?: number }).status ?? 400;
      const mapped =
        status === 413
          ? new PayloadTooLargeError((error as { limit?: number }).limit ?? 0)
          : new MalformedBodyError(
              (error as { type?: string }).type === 'entity.parse.failed'
                ? 'invalid JSON'
                : 'unreadable body',
            );
      writeErrorResponse(request, response, mapped.httpStatus, mapped);
    });
  });
}

function runInOrder(
  handlers: RequestHandler[],
  request: Request,
  response: Response,
  done: (error?: unknown) => void,
): void {
  const step = (index: number, error?: unknown): void => {
    if (error || index === handlers.length) return done(error);
    handlers[index](request, response, (next?: unknown) => step(index + 1, next));
  };
  step(0);
}
