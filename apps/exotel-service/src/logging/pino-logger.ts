import type { LoggerService } from '@nestjs/common';
import pino, { type Logger as Pino, type DestinationStream } from 'pino';
import { REDACTED_LOG_PATHS } from './redact';

/** Creates the service's pino logger: JSON lines, secrets redacted. */
export function createPino(level: string, destination?: DestinationStream): Pino {
  return pino(
    {
      level,
      base: { service: 'exotel-service' },
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/**
 * Nest `LoggerService` writing to pino. Nest passes the context (the class name) as the last
 * argument; objects become structured fields and strings the message.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const params = [...rest];
    const context =
      params.length > 0 && typeof params[params.length - 1] === 'string'
        ? (params.pop() as string)
        : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    const texts: string[] = [];
    for (const part of [message, ...params]) {
      if (part instanceof Error) fields.err = { name: part.name, message: part.message, stack: part.stack };
      else if (part && typeof part === 'object') Object.assign(fields, part);
      else if (typeof part === 'string' && part.includes('\n    at ')) fields.stack = part;
      else if (typeof part === 'string' || typeof part === 'number' || typeof part === 'boolean')
        texts.push(String(part));
    }
    this.pino[level](fields, texts.join(' '));
  }
}
