import type { LoggerService } from '@nestjs/common';
import { Writable } from 'node:stream';
import { createPino, PinoNestLogger } from '../../apps/exotel-service/src/logging/pino-logger';
import type { Logger as Pino } from 'pino';

/** A pino logger (and its Nest adapter) that keeps every line in memory, for assertions on logs. */
export interface CapturedLogs {
  readonly pino: Pino;
  readonly nest: LoggerService;
  /** Every line written so far. */
  text(): string;
  lines(): Record<string, unknown>[];
}

export function captureLogs(level = 'trace'): CapturedLogs {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const pino = createPino(level, sink);
  return {
    pino,
    nest: new PinoNestLogger(pino),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
