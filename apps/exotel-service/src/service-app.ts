import { createExotelValidationPipe, ExotelExceptionFilter, useExotelBodyParsers } from 'nestjs-exotel';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger as Pino } from 'pino';
import { AppModule, type AppModuleOverrides } from './app.module';
import type { ServiceConfig } from './config/service-config';
import { createHttpLogger } from './logging/http-logger';
import { createPino, PinoNestLogger } from './logging/pino-logger';
import { setupOpenApi } from './openapi/openapi';

/**
 * Applies the service's HTTP conventions to an application: request ids and request logs,
 * body parsing (the heartbeat route reads its own), one JSON error shape, DTO validation,
 * and OpenAPI at `/docs`. Tests call it on the applications they build so they run what production
 * runs. (Graceful shutdown on SIGTERM/SIGINT is `GracefulShutdown`, which `main.ts` installs.)
 */
export function configureServiceApp(app: INestApplication, pino: Pino): void {
  app.use(createHttpLogger(pino));
  useExotelBodyParsers(app);
  app.useGlobalFilters(new ExotelExceptionFilter());
  app.useGlobalPipes(createExotelValidationPipe());
  setupOpenApi(app);
}

/** Creates the reference service for `config` (not yet listening). */
export async function createServiceApp(
  config: ServiceConfig,
  options: { pino?: Pino; overrides?: AppModuleOverrides } = {},
): Promise<NestExpressApplication> {
  const pino = options.pino ?? createPino(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.overrides), {
    bodyParser: false,
    logger: new PinoNestLogger(pino),
    abortOnError: false,
    // No forceCloseConnections: GracefulShutdown lets the requests in flight finish first.
  });
  configureServiceApp(app, pino);
  return app;
}
