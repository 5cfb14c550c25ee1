import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';
import type { CallRecord } from '../call-record';

/** How the caller id was chosen. */
export class CallerIdResponse {
  @ApiProperty({ nullable: true, type: String, description: 'Asked for' })
  requested!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Sent to Exotel' })
  chosen!: string | null;

  @ApiProperty({ nullable: true, type: String, enum: ['preferred', 'alternate', 'pool'] })
  rule!: string | null;

  @ApiProperty({ nullable: true, type: String })
  reason!: string | null;
}

/** A leg as Exotel reported it. */
export class CallLegResponse {
  @ApiProperty({ nullable: true, type: String })
  status!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  onCallDurationSeconds!: number | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  answeredBy?: string | null;
}

/** How an unknown outcome was settled. */
export class ReconciliationResponse {
  @ApiProperty({ enum: ['placed', 'not_placed', 'gave_up'] })
  finding!: string;

  @ApiProperty({ enum: ['status_callback', 'call_details', 'bulk_list', 'deadline'] })
  via!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** A call. */
export class CallResponse {
  @ApiProperty({ description: 'Our id (ULID)' })
  id!: string;

  @ApiProperty({ nullable: true, type: String, description: "Exotel's CallSid, once known" })
  callSid!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The Idempotency-Key the call was requested with',
  })
  idempotencyKey!: string | null;

  @ApiProperty({
    description:
      'requested, initiated, failed, unknown, answered, then the end: completed, busy, no-answer, failed, canceled',
  })
  status!: string;

  @ApiProperty({
    enum: ['initiated', 'failed', 'unknown'],
    description: 'What Calls/connect produced; unknown calls are reconciled, never re-sent',
  })
  outcome!: string;

  @ApiProperty({ type: CallerIdResponse })
  callerId!: CallerIdResponse;

  @ApiProperty({ description: 'Failover chose another caller id than the one asked for' })
  failover!: boolean;

  @ApiProperty({ description: 'Sent in CustomField; matches callbacks and Exotel call lists to this call' })
  correlationId!: string;

  @ApiProperty({ enum: ['api', 'callback'] })
  origin!: string;

  @ApiProperty()
  direction!: string;

  @ApiProperty({ nullable: true, type: String, enum: ['connect', 'flow', 'stream'] })
  mode!: string | null;

  @ApiProperty({ nullable: true, type: String })
  from!: string | null;

  @ApiProperty({ nullable: true, type: String })
  to!: string | null;

  @ApiProperty({ nullable: true, type: String })
  target!: string | null;

  @ApiProperty()
  purpose!: string;

  @ApiProperty({ nullable: true, type: String })
  customField!: string | null;

  @ApiProperty({ nullable: true, type: String })
  outcomeReason!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  exotelStatus!: number | null;

  @ApiProperty({ nullable: true, type: String })
  exotelCode!: string | null;

  @ApiProperty({ description: 'Calls/connect attempts (429 and not-sent failures are retried)' })
  attempts!: number;

  @ApiProperty({ nullable: true, type: Number })
  latencyMs!: number | null;

  @ApiProperty({ format: 'date-time' })
  requestedAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  settledAt!: string | null;

  @ApiProperty({ type: ReconciliationResponse, nullable: true })
  reconciliation!: ReconciliationResponse | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  answeredAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  endedAt!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  conversationSeconds!: number | null;

  @ApiProperty({ type: [CallLegResponse] })
  legs!: CallLegResponse[];

  @ApiProperty({ nullable: true, type: String })
  recordingUrl!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  durationSeconds!: number | null;

  @ApiProperty({ nullable: true, type: String })
  price!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'timeLimit, timeOut, record...' })
  parameters!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Data other capabilities attached (voice)',
  })
  extensions!: Record<string, unknown>;
}

/** A list of calls. */
export class CallListResponse {
  @ApiProperty({ type: [CallResponse] })
  items!: CallResponse[];
}

/** The API view of a call record. */
export function toCallResponse(record: CallRecord): CallResponse {
  return {
    ...record,
    legs: record.legs.map((leg) => ({ ...leg })),
    parameters: { ...record.parameters },
    extensions: { ...record.extensions },
  };
}
