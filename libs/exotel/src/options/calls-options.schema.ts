import { z } from 'zod';
import { problem } from './configuration-problems';
import { OPTION_DEFAULTS } from './exotel-options.defaults';

const D = OPTION_DEFAULTS.calls;

const int = (what: string, fallback: number, fix: string, min = 1) =>
  z
    .int(problem(`${what} must be a whole number`, fix))
    .min(min, problem(`${what} must be at least ${min}`, fix))
    .default(fallback);

const ms = (what: string, fallback: number) => int(what, fallback, `use milliseconds, e.g. ${fallback}`, 1);

/** Validates the `calls` options (CallsService, status callbacks, reconciliation, latency watch). */
export const callsOptionsSchema = z
  .strictObject({
    defaultCallerId: z
      .string(problem('must be text', 'give an ExoPhone SID or number, e.g. 08047491899'))
      .trim()
      .min(1, problem('is empty', 'give an ExoPhone SID or number, or leave it out'))
      .optional(),
    statusCallbackUrl: z
      .url(
        problem(
          'is not a URL',
          'use the public URL of POST /exotel/callback/status with ?key=<webhook secret>, or set webhooks.publicBaseUrl',
        ),
      )
      .refine(
        (value) => /^https?:$/.test(new URL(value).protocol),
        problem('must use http or https', 'use an http(s) URL Exotel can reach'),
      )
      .optional(),
    statusCallbackEvents: z
      .array(
        z.enum(['terminal', 'answered'], problem('is not an event', 'use terminal and/or answered')),
        problem('must be a list', `use ${JSON.stringify(D.statusCallbackEvents)}`),
      )
      .default([...D.statusCallbackEvents]),
    statusCallbackContentType: z
      .enum(
        ['multipart/form-data', 'application/json'],
        problem('is not a content type Exotel sends', 'use multipart/form-data or application/json'),
      )
      .optional(),
    rateLimitRetries: z
      .strictObject({
        maxAttempts: int('maxAttempts', D.rateLimitRetries.maxAttempts, 'use 1 (no retry) to 10', 1),
        maxWaitMs: ms('maxWaitMs', D.rateLimitRetries.maxWaitMs),
        fallbackDelayMs: ms('fallbackDelayMs', D.rateLimitRetries.fallbackDelayMs),
      })
      .prefault({}),
    notSentRetries: z
      .strictObject({
        maxAttempts: int('maxAttempts', D.notSentRetries.maxAttempts, 'use 1 (no retry) to 10', 1),
        delayMs: ms('delayMs', D.notSentRetries.delayMs),
      })
      .prefault({}),
    reconcile: z
      .strictObject({
        intervalMs: ms('intervalMs', D.reconcile.intervalMs),
        giveUpAfterMs: ms('giveUpAfterMs', D.reconcile.giveUpAfterMs),
        batchSize: int(
          'batchSize',
          D.reconcile.batchSize,
          'use 1 to 100; each call costs 1-2 voice requests',
        ),
        lookBackMs: ms('lookBackMs', D.reconcile.lookBackMs),
        silentAfterMs: int(
          'silentAfterMs',
          D.reconcile.silentAfterMs,
          `use milliseconds, e.g. ${D.reconcile.silentAfterMs}`,
          0,
        ),
      })
      .prefault({}),
    queue: z
      .strictObject({
        concurrency: int('concurrency', D.queue.concurrency, 'use 1 to 16 calls in flight per replica'),
        pollMs: ms('pollMs', D.queue.pollMs),
        claimMs: int('claimMs', D.queue.claimMs, `use milliseconds, e.g. ${D.queue.claimMs}`, 1_000),
        callerIdRetryMs: ms('callerIdRetryMs', D.queue.callerIdRetryMs),
        callerIdWaitMs: int(
          'callerIdWaitMs',
          D.queue.callerIdWaitMs,
          `use milliseconds, e.g. ${D.queue.callerIdWaitMs}`,
          0,
        ),
        maxBatchSize: int('maxBatchSize', D.queue.maxBatchSize, `use up to ${D.queue.maxBatchSize}`),
      })
      .prefault({}),
    latency: z
      .strictObject({
        p50Ms: ms('p50Ms', D.latency.p50Ms),
        p95Ms: ms('p95Ms', D.latency.p95Ms),
        p99Ms: ms('p99Ms', D.latency.p99Ms),
        windowSize: int('windowSize', D.latency.windowSize, `use e.g. ${D.latency.windowSize} samples`, 10),
        minSamples: int('minSamples', D.latency.minSamples, `use e.g. ${D.latency.minSamples} samples`, 1),
      })
      .prefault({}),
  })
  .prefault({});
