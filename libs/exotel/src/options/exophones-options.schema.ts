import { z } from 'zod';
import { problem } from './configuration-problems';
import { OPTION_DEFAULTS } from './exotel-options.defaults';

const D = OPTION_DEFAULTS.exophones;
const H = OPTION_DEFAULTS.heartbeat;
const FREQUENCY_FIX = `use the frequency set in Exotel (minutes x 60), e.g. ${H.frequencySeconds}`;

const exoPhoneRef = z
  .string(
    problem(
      'each ExoPhone must be text',
      'give ExoPhone SIDs or E.164 numbers, e.g. "08047491899" or "+918047491899"',
    ),
  )
  .trim()
  .min(1, problem('an ExoPhone is empty', 'give ExoPhone SIDs or E.164 numbers'));

const positive = (what: string, fallback: number, fix: string) =>
  z
    .number(problem(`${what} must be a number`, fix))
    .positive(problem(`${what} must be positive`, fix))
    .default(fallback);

/** Validation of the `exophones` options, with defaults. */
export const exoPhonesOptionsSchema = z
  .strictObject({
    failoverPool: z
      .array(
        exoPhoneRef,
        problem('must be a list', 'list ExoPhone SIDs or E.164 numbers in preference order'),
      )
      .default([...D.failoverPool]),
    customerFacing: z
      .array(exoPhoneRef, problem('must be a list', 'list the ExoPhones printed on your website'))
      .default([...D.customerFacing]),
    syncOnStart: z
      .boolean(
        problem('must be true or false', 'use false only when the ExoPhone API must not be called at start'),
      )
      .default(D.syncOnStart),
    syncIntervalMinutes: positive(
      'syncIntervalMinutes',
      D.syncIntervalMinutes,
      `use minutes, e.g. ${D.syncIntervalMinutes}`,
    ),
  })
  .prefault({});

/** Validation of the `heartbeat` options, with defaults. */
export const heartbeatOptionsSchema = z
  .strictObject({
    frequencySeconds: z
      .int(problem('must be a whole number of seconds', FREQUENCY_FIX))
      .positive(problem('must be positive', FREQUENCY_FIX))
      .default(H.frequencySeconds),
    missedAfterIntervals: positive(
      'missedAfterIntervals',
      H.missedAfterIntervals,
      `use ${H.missedAfterIntervals} (a heartbeat may be late once)`,
    ),
    maxBodyBytes: z
      .int(problem('must be a whole number of bytes', 'use at least 10485760 (Exotel sends up to 10 MB)'))
      .min(1_024, problem('is too small', 'use at least 10485760 (Exotel sends up to 10 MB)'))
      .default(H.maxBodyBytes),
    criticalMeansNotReady: z
      .boolean(problem('must be true or false', 'use true to fail readiness while every ExoPhone is down'))
      .default(H.criticalMeansNotReady),
    retentionHours: positive(
      'retentionHours',
      H.retentionHours,
      `use hours, e.g. ${H.retentionHours}; heartbeats can be 10 MB each`,
    ),
    sweepTickMs: z.int().positive().default(H.sweepTickMs),
    maxClockSkewMs: z
      .int(problem('must be a whole number of milliseconds', `use ${H.maxClockSkewMs} (5 minutes)`))
      .min(1_000, problem('is too small', 'use at least 1000; NTP keeps clocks within a second'))
      .default(H.maxClockSkewMs),
    maxApplyAttempts: z
      .int(problem('must be a whole number', `use ${H.maxApplyAttempts}`))
      .positive(problem('must be positive', `use ${H.maxApplyAttempts}`))
      .default(H.maxApplyAttempts),
  })
  .prefault({});
