import { z } from 'zod';
import { problem } from './configuration-problems';

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
      .default([]),
    customerFacing: z
      .array(exoPhoneRef, problem('must be a list', 'list the ExoPhones printed on your website'))
      .default([]),
    syncOnStart: z
      .boolean(
        problem('must be true or false', 'use false only when the ExoPhone API must not be called at start'),
      )
      .default(true),
    syncIntervalMinutes: positive('syncIntervalMinutes', 60, 'use minutes, e.g. 60'),
  })
  .prefault({});

/** Validation of the `heartbeat` options, with defaults. */
export const heartbeatOptionsSchema = z
  .strictObject({
    frequencySeconds: z
      .int(
        problem(
          'must be a whole number of seconds',
          'use the frequency set in Exotel (minutes x 60), e.g. 60',
        ),
      )
      .positive(problem('must be positive', 'use the frequency set in Exotel (minutes x 60), e.g. 60'))
      .default(60),
    missedAfterIntervals: positive('missedAfterIntervals', 2, 'use 2 (a heartbeat may be late once)'),
    maxBodyBytes: z
      .int(problem('must be a whole number of bytes', 'use at least 10485760 (Exotel sends up to 10 MB)'))
      .min(1_024, problem('is too small', 'use at least 10485760 (Exotel sends up to 10 MB)'))
      .default(12 * 1024 * 1024),
    criticalMeansNotReady: z
      .boolean(problem('must be true or false', 'use true to fail readiness while every ExoPhone is down'))
      .default(false),
    retentionHours: positive('retentionHours', 6, 'use hours, e.g. 6; heartbeats can be 10 MB each'),
    sweepTickMs: z.int().positive().default(1_000),
  })
  .prefault({});
