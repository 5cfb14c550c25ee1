import { z } from 'zod';
import { problem } from './configuration-problems';
import { OPTION_DEFAULTS } from './exotel-options.defaults';

const D = OPTION_DEFAULTS.incidents;

const wholePositive = (what: string, fallback: number, fix: string) =>
  z
    .int(problem(`${what} must be a whole number`, fix))
    .positive(problem(`${what} must be positive`, fix))
    .default(fallback);

/** Validation of the `incidents` options, with defaults. */
export const incidentsOptionsSchema = z
  .strictObject({
    checkIntervalMs: wholePositive(
      'checkIntervalMs',
      D.checkIntervalMs,
      `use milliseconds, e.g. ${D.checkIntervalMs}`,
    ),
    api: z
      .strictObject({
        failureThreshold: wholePositive(
          'failureThreshold',
          D.api.failureThreshold,
          `use how many 5xx answers, timeouts or network errors in the window mean Exotel is failing, e.g. ${D.api.failureThreshold}`,
        ),
        windowMs: wholePositive(
          'windowMs',
          D.api.windowMs,
          `use milliseconds, e.g. ${D.api.windowMs} (${D.api.windowMs / 60_000} minutes)`,
        ),
        recoverAfterSuccesses: wholePositive(
          'recoverAfterSuccesses',
          D.api.recoverAfterSuccesses,
          `use how many answers in a row mean Exotel works again, e.g. ${D.api.recoverAfterSuccesses}`,
        ),
        probeIntervalMs: wholePositive(
          'probeIntervalMs',
          D.api.probeIntervalMs,
          `use milliseconds, e.g. ${D.api.probeIntervalMs}`,
        ),
      })
      .prefault({}),
  })
  .prefault({});
