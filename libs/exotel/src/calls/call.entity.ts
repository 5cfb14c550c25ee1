import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonValue } from '../persistence/json-value';

/** What Calls/connect produced: a CallSid, a refusal, or no proof either way. */
export type CallOutcome = 'initiated' | 'failed' | 'unknown';

/** Where a call record came from. */
export type CallOrigin = 'api' | 'callback';

/**
 * One call: placed through `CallsService` (origin `api`), or first seen in a status callback or a
 * voice webhook (origin `callback`, e.g. inbound Passthru calls). The row of an API call is written
 * before Calls/connect is sent, with outcome `unknown` (a crash mid-request leaves exactly that),
 * and settled afterwards. `correlation_id` travels in Exotel's `CustomField`.
 */
@Entity('exotel_calls')
@Index('UQ_exotel_calls_call_sid', ['callSid'], { unique: true, where: '"call_sid" IS NOT NULL' })
@Index('UQ_exotel_calls_correlation_id', ['correlationId'], { unique: true })
@Index('UQ_exotel_calls_idempotency_key', ['idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
@Index('IDX_exotel_calls_requested_at', ['requestedAt'])
@Index('IDX_exotel_calls_unsettled', ['outcome', 'reconciledAt'])
export class CallEntity {
  /** ULID. */
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ name: 'correlation_id', type: 'varchar', length: 32 })
  correlationId!: string;

  @Column({ name: 'call_sid', type: 'varchar', length: 64, nullable: true })
  callSid!: string | null;

  /** The client's `Idempotency-Key`: a second request with it gets this call, never a second one. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 128, nullable: true })
  idempotencyKey!: string | null;

  /** SHA-256 of the checked request, to tell a retry from a different request reusing its key. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64, nullable: true })
  requestHash!: string | null;

  @Column({ type: 'varchar', length: 10 })
  origin!: CallOrigin;

  /** `outbound-api` for API calls; as Exotel reports it for callback records (`inbound`...). */
  @Column({ type: 'varchar', length: 20 })
  direction!: string;

  /** `connect` (two numbers), `flow` (applet), `stream` (Voice AI); null for callback records. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  mode!: string | null;

  /** E.164 (or as Exotel wrote it when it could not be parsed). */
  @Column({ name: 'from_number', type: 'varchar', length: 32, nullable: true })
  fromNumber!: string | null;

  /** E.164 for two-number calls; null for flow and stream calls. */
  @Column({ name: 'to_number', type: 'varchar', length: 32, nullable: true })
  toNumber!: string | null;

  /** Flow calls: the applet (app) id; stream calls: the stream URL without its query. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  target!: string | null;

  /** The caller id asked for (SID or number). */
  @Column({ name: 'caller_id_requested', type: 'varchar', length: 64, nullable: true })
  callerIdRequested!: string | null;

  /** The caller id sent to Exotel, after failover. */
  @Column({ name: 'caller_id', type: 'varchar', length: 64, nullable: true })
  callerId!: string | null;

  /** `preferred`, `alternate` or `pool`. */
  @Column({ name: 'caller_id_rule', type: 'varchar', length: 20, nullable: true })
  callerIdRule!: string | null;

  @Column({ name: 'caller_id_reason', type: 'varchar', length: 300, nullable: true })
  callerIdReason!: string | null;

  /** `transactional` or `promotional`. */
  @Column({ type: 'varchar', length: 20, default: 'transactional' })
  purpose!: string;

  /** The caller's own CustomField (without the correlation id). */
  @Column({ name: 'custom_field', type: 'varchar', length: 128, nullable: true })
  customField!: string | null;

  /** The Calls/connect parameters besides numbers (time limit, recording...), as JSON. */
  @Column({ type: 'simple-json', nullable: true })
  parameters!: Record<string, JsonValue> | null;

  @Column({ type: 'varchar', length: 10 })
  outcome!: CallOutcome;

  /** Why the outcome is failed or unknown (error code and message, no secrets). */
  @Column({ name: 'outcome_reason', type: 'varchar', length: 500, nullable: true })
  outcomeReason!: string | null;

  @Column({ name: 'exotel_status', type: 'integer', nullable: true })
  exotelStatus!: number | null;

  @Column({ name: 'exotel_code', type: 'varchar', length: 40, nullable: true })
  exotelCode!: string | null;

  /** Calls/connect attempts sent or tried (429 and not-sent failures are retried). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Lifecycle: requested, initiated, failed, unknown, answered, then the terminal status. */
  @Column({ type: 'varchar', length: 20 })
  status!: string;

  /** Calls/connect latency of the answer that settled the outcome. */
  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs!: number | null;

  @Column({ name: 'requested_at', type: Date })
  requestedAt!: Date;

  /** When the Calls/connect outcome was recorded (null while in flight). */
  @Column({ name: 'settled_at', type: Date, nullable: true })
  settledAt!: Date | null;

  /** An unknown outcome was settled (or given up) by reconciliation. */
  @Column({ name: 'reconciled_at', type: Date, nullable: true })
  reconciledAt!: Date | null;

  /** `placed`, `not_placed` or `gave_up`. */
  @Column({ name: 'reconciliation_finding', type: 'varchar', length: 20, nullable: true })
  reconciliationFinding!: string | null;

  /** `status_callback`, `call_details`, `bulk_list` or `deadline`. */
  @Column({ name: 'reconciled_via', type: 'varchar', length: 20, nullable: true })
  reconciledVia!: string | null;

  @Column({ name: 'answered_at', type: Date, nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'ended_at', type: Date, nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'conversation_seconds', type: 'integer', nullable: true })
  conversationSeconds!: number | null;

  /** Legs as last reported: `[{ status, onCallDurationSeconds, answeredBy }]`. */
  @Column({ type: 'simple-json', nullable: true })
  legs!: CallLeg[] | null;

  @Column({ name: 'recording_url', type: 'varchar', length: 1000, nullable: true })
  recordingUrl!: string | null;

  /** Duration, price and recording still to be read from call details after the end. */
  @Column({ name: 'details_pending', type: 'boolean', default: false })
  detailsPending!: boolean;

  @Column({ name: 'duration_seconds', type: 'integer', nullable: true })
  durationSeconds!: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  price!: string | null;

  /** Data other capabilities attach to the call (e.g. `voice` for voice-AI streams), by key. */
  @Column({ type: 'simple-json', nullable: true })
  extensions!: Record<string, JsonValue> | null;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

/** One leg of a call as Exotel reported it. */
export interface CallLeg {
  status: string | null;
  onCallDurationSeconds: number | null;
  answeredBy?: string | null;
}
