import { z } from 'zod';
import { isoInstant } from '../events/event-schema.helpers';

const legSchema = z.object({
  status: z.string().nullable(),
  onCallDurationSeconds: z.number().nonnegative().nullable(),
  answeredBy: z.string().nullable().optional(),
});

/** How the caller id was chosen (failover). */
const callerIdChoiceSchema = z.object({
  preferred: z.string(),
  chosen: z.string(),
  /** `preferred`, `alternate` (Exotel's suggestion), `pool` (another healthy ExoPhone). */
  rule: z.enum(['preferred', 'alternate', 'pool']),
  reason: z.string(),
});

/** Events of the `exotel.calls` topic. Subject: our call id (latency events: the account SID). */
export const callEventSchemas = {
  /** A call was accepted and recorded before anything was sent to Exotel. */
  'call.requested': z.object({
    callId: z.string(),
    correlationId: z.string(),
    mode: z.enum(['connect', 'flow', 'stream']),
    from: z.string(),
    to: z.string().nullable(),
    callerId: z.string(),
    purpose: z.enum(['transactional', 'promotional']),
    /** How the caller id was chosen (failover); `chosen` is the caller id sent. */
    failover: callerIdChoiceSchema.optional(),
  }),
  /** Exotel accepted Calls/connect and returned a CallSid. */
  'call.initiated': z.object({
    callId: z.string(),
    callSid: z.string(),
    callerId: callerIdChoiceSchema,
    latencyMs: z.number().nonnegative(),
  }),
  /** A leg answered (`answered` status callback). */
  'call.answered': z.object({
    callId: z.string(),
    callSid: z.string(),
    legs: z.array(legSchema),
  }),
  /** The call ended (`terminal` status callback): completed, busy, no-answer, failed or canceled. */
  'call.completed': z.object({
    callId: z.string(),
    callSid: z.string(),
    status: z.string(),
    conversationDurationSeconds: z.number().nonnegative().nullable(),
    recordingUrl: z.string().nullable(),
    legs: z.array(legSchema),
    endedAt: isoInstant.nullable(),
  }),
  /** Exotel refused to place the call (4xx, or 500/504 meaning no route could originate it). */
  'call.failed': z.object({
    callId: z.string(),
    reason: z.string(),
    exotelStatus: z.number().int().nullable(),
    exotelCode: z.union([z.string(), z.number()]).nullable(),
  }),
  /** Calls/connect may or may not have placed the call (timeout, reset, 5xx without proof); never re-sent. */
  'call.outcome_unknown': z.object({
    callId: z.string(),
    reason: z.string(),
  }),
  /** An unknown outcome was settled, or given up on. */
  'call.reconciled': z.object({
    callId: z.string(),
    finding: z.enum(['placed', 'not_placed', 'gave_up']),
    callSid: z.string().nullable(),
    /** `connect_answer`: Exotel's answer to Calls/connect came after the call was taken for abandoned. */
    via: z.enum(['status_callback', 'call_details', 'bulk_list', 'deadline', 'connect_answer']),
  }),
  /** Calls/connect latency crossed the published percentiles (an incident signal). */
  'call.latency_degraded': z.object({
    p50Ms: z.number().nonnegative(),
    p95Ms: z.number().nonnegative(),
    p99Ms: z.number().nonnegative(),
    thresholds: z.object({ p50Ms: z.number(), p95Ms: z.number(), p99Ms: z.number() }),
    samples: z.number().int().nonnegative(),
  }),
  /** Calls/connect latency is back under the thresholds. */
  'call.latency_restored': z.object({
    p50Ms: z.number().nonnegative(),
    p95Ms: z.number().nonnegative(),
    p99Ms: z.number().nonnegative(),
    samples: z.number().int().nonnegative(),
  }),
  /** A call was queued (`CallsService.enqueue`, `POST /calls/batches`). Subject: the queued call's id. */
  'call.queued': z.object({
    queuedCallId: z.string(),
    batchId: z.string().nullable(),
    purpose: z.enum(['transactional', 'promotional']),
    notBefore: isoInstant,
  }),
  /** Every call of a batch was placed, cancelled or failed. Subject: the batch id. */
  'call.batch.completed': z.object({
    batchId: z.string(),
    total: z.number().int().nonnegative(),
    placed: z.number().int().nonnegative(),
    cancelled: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
} as const;
