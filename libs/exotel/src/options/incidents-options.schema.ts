import { z } from 'zod';
import { problem } from './configuration-problems';

const wholePositive = (what: string, fallback: number, fix: string) =>
  z
    .int(problem(`${what} must be a whole number`, fix))
    .positive(problem(`${what} must be positive`, fix))
    .default(fallback);

/** Validation of the `incidents` options, with defaults. */
export const incidentsOptionsSchema = z
  .strictObject({
    checkIntervalMs: wholePositive('checkIntervalMs', 30_000, 'use milliseconds, e.g. 30000'),
    api: z
      .strictObject({
        failureThreshold: wholePositive(
          'failureThreshold',
          5,
          'use how many 5xx answers, timeouts or network errors in the window mean Exotel is failing, e.g. 5',
        ),
        windowMs: wholePositive('windowMs', 300_000, 'use milliseconds, e.g. 300000 (5 minutes)'),
        recoverAfterSuccesses: wholePositive(
          'recoverAfterSuccesses',
          3,
          'use how many answers in a row mean Exotel works again, e.g. 3',
        ),
        probeIntervalMs: wholePositive('probeIntervalMs', 30_000, 'use milliseconds, e.g. 30000'),
      })
      .prefault({}),
  })
  .prefault({});
