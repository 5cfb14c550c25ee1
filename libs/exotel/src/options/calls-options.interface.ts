import type { z } from 'zod';
import type { callsOptionsSchema } from './calls-options.schema';
import type { DeepReadonly } from './deep-readonly';

/** Options of `CallsService` and its jobs. */
export interface ExotelCallsOptions {
  /** ExoPhone (SID or number) used when a call names no caller id. */
  defaultCallerId?: string;
  /**
   * Where Exotel posts status callbacks: the public URL of `POST /exotel/callback/status` with
   * `?key=<webhook secret>`. Not stored, logged or published (it carries the secret). Without it
   * (or `webhooks.publicBaseUrl`, which derives it) calls are settled by reconciliation only.
   * @default derived from `webhooks.publicBaseUrl`
   */
  statusCallbackUrl?: string;
  /** Status callback events asked for. @default ['terminal', 'answered'] */
  statusCallbackEvents?: ('terminal' | 'answered')[];
  /** Body format of the callbacks; Exotel's default is multipart/form-data. */
  statusCallbackContentType?: 'multipart/form-data' | 'application/json';
  /** Retries of Calls/connect answered 429 (nothing was placed), honouring `Retry-After`. */
  rateLimitRetries?: {
    /** Attempts in all, the first included. @default 3 */
    maxAttempts?: number;
    /** Longest total wait across the retries; a longer `Retry-After` ends them. @default 10000 */
    maxWaitMs?: number;
    /** Wait when Exotel sends no `Retry-After`; doubles each retry. @default 1000 */
    fallbackDelayMs?: number;
  };
  /** Retries of Calls/connect that failed before the request was sent (connect timeout, refused). */
  notSentRetries?: {
    /** Attempts in all, the first included. @default 3 */
    maxAttempts?: number;
    /** Wait before a retry; doubles each retry. @default 200 */
    delayMs?: number;
  };
  /** The job that settles calls whose outcome is unknown. */
  reconcile?: {
    /** Time between runs. @default 30000 */
    intervalMs?: number;
    /** After this long since the request the job gives up (`call.reconciled` finding `gave_up`). @default 21600000 (6 h) */
    giveUpAfterMs?: number;
    /** Unknown calls looked up per run (each costs one or two voice API requests). @default 20 */
    batchSize?: number;
    /** The bulk search window starts this long before the request (clock skew). @default 120000 */
    lookBackMs?: number;
    /**
     * An initiated call without a terminal status callback for this long is looked up with the
     * call-details API, and settled from it once Exotel reports it finished (a lost callback, or no
     * status callback URL); each such call is looked up at most once per this interval. @default 300000 (5 min)
     */
    silentAfterMs?: number;
  };
  /**
   * The durable call queue (`CallsService.enqueue`, `POST /calls/batches`): a dispatcher on every
   * replica places due calls within the shared request budget, transactional before promotional,
   * oldest first.
   */
  queue?: {
    /** Queued calls one replica places at a time (each waits for room in the budget). @default 4 */
    concurrency?: number;
    /** Time between looks for due calls when none was found. @default 1000 */
    pollMs?: number;
    /**
     * How long a replica holds a call it took; a replica that stops holds it no longer, and another
     * places it (the idempotency key finds the call if it was placed already). @default 60000
     */
    claimMs?: number;
    /** A call whose caller id has no healthy ExoPhone is tried again after this long. @default 30000 */
    callerIdRetryMs?: number;
    /** ...and fails once it has waited this long for one. @default 900000 (15 min) */
    callerIdWaitMs?: number;
    /** Most calls in one batch. @default 10000 */
    maxBatchSize?: number;
  };
  /** Rolling Calls/connect latency percentiles and the thresholds that raise `call.latency_degraded`. */
  latency?: {
    /** Threshold of the median, in milliseconds. @default 480 (Exotel's published average) */
    p50Ms?: number;
    /** Threshold of the 95th percentile, in milliseconds. @default 1100 */
    p95Ms?: number;
    /** Threshold of the 99th percentile, in milliseconds. @default 2500 */
    p99Ms?: number;
    /** Latest samples the percentiles are computed over. @default 200 */
    windowSize?: number;
    /** Samples needed before the thresholds are judged. @default 20 */
    minSamples?: number;
  };
}

/** The `calls` options after defaults, as the schema resolves them. */
export type ResolvedCallsOptions = DeepReadonly<z.output<typeof callsOptionsSchema>>;
