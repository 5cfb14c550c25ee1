import { ApiProperty, ApiPropertyOptional } from '../../http/openapi.decorators';

/** One affected direction of one ExoPhone. */
export class AffectedResponse {
  @ApiProperty()
  exoPhoneSid!: string;

  @ApiProperty({ enum: ['incoming', 'outgoing'] })
  direction!: 'incoming' | 'outgoing';
}

/** Classification on two axes, with the evidence. */
export class ClassificationResponse {
  @ApiProperty({
    enum: ['operator', 'exotel', 'unknown'],
    description: 'Operator-related or Exotel-specific',
  })
  origin!: 'operator' | 'exotel' | 'unknown';

  @ApiProperty({ description: 'Inside a declared maintenance window' })
  planned!: boolean;

  @ApiProperty({ type: [String] })
  evidence!: string[];

  @ApiProperty({ enum: ['signals', 'manual'], description: 'Derived from signals, or set by hand' })
  by!: 'signals' | 'manual';
}

/** Moving traffic off one affected direction. */
export class AdviceMoveResponse {
  @ApiProperty()
  from!: string;

  @ApiProperty({ enum: ['incoming', 'outgoing'] })
  direction!: 'incoming' | 'outgoing';

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'ExoPhone SID to move to; null when none is healthy',
  })
  to!: string | null;

  @ApiProperty({ nullable: true, type: String })
  toPhoneNumber!: string | null;

  @ApiProperty()
  reason!: string;
}

/** What to do about it. */
export class AdviceResponse {
  @ApiProperty({ type: [String], description: 'Healthy ExoPhones (SIDs) traffic can move to' })
  alternates!: string[];

  @ApiProperty({ type: [String], description: 'Where failover cannot help (customer-facing ExoPhones)' })
  warnings!: string[];

  @ApiProperty({ type: [AdviceMoveResponse] })
  moves!: AdviceMoveResponse[];
}

/** Restoration expected. */
export class ExpectedRestoreResponse {
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  from!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Escalation when passed' })
  by!: string | null;
}

/** A recorded RCA. */
export class RcaResponse {
  @ApiProperty()
  summary!: string;

  @ApiProperty({ nullable: true, type: String })
  url!: string | null;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

/** One timeline entry. */
export class TimelineEntryResponse {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    enum: [
      'signal',
      'opened',
      'affected_changed',
      'reclassified',
      'escalated',
      'note',
      'rca_recorded',
      'rca_due',
      'resolved',
    ],
  })
  type!: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ nullable: true, type: String, description: 'The event the entry came from' })
  eventId!: string | null;
}

/** An incident. */
export class IncidentResponse {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: 'region:KA' })
  scope!: string;

  @ApiProperty({ enum: ['outage', 'degraded_performance'] })
  kind!: 'outage' | 'degraded_performance';

  @ApiProperty()
  title!: string;

  @ApiProperty({ enum: ['open', 'resolved'] })
  status!: 'open' | 'resolved';

  @ApiProperty({ type: ClassificationResponse })
  classification!: ClassificationResponse;

  @ApiProperty({ nullable: true, type: String })
  maintenanceWindowId!: string | null;

  @ApiProperty({ type: [AffectedResponse], description: 'At most 500; affectedTotal counts them all' })
  affected!: AffectedResponse[];

  @ApiProperty()
  affectedTotal!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Per signal source (exophones, api, latency, manual): { active, since, detail }',
  })
  conditions!: object;

  @ApiProperty({ type: AdviceResponse })
  advice!: AdviceResponse;

  @ApiProperty({ enum: ['signal', 'manual'] })
  openedBy!: 'signal' | 'manual';

  @ApiProperty({ format: 'date-time' })
  openedAt!: string;

  @ApiProperty({ type: ExpectedRestoreResponse })
  expectedRestore!: ExpectedRestoreResponse;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  escalatedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolvedAt!: string | null;

  @ApiProperty({ enum: ['signals', 'manual'], nullable: true, type: String })
  resolvedBy!: 'signals' | 'manual' | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Exotel-specific unplanned: resolution + 72 h',
  })
  rcaDueAt!: string | null;

  @ApiProperty({ type: RcaResponse, nullable: true })
  rca!: RcaResponse | null;

  @ApiPropertyOptional({ type: [TimelineEntryResponse], description: 'GET /incidents/:id only' })
  timeline?: TimelineEntryResponse[];
}

/** `GET /incidents`. */
export class IncidentListResponse {
  @ApiProperty({ type: [IncidentResponse] })
  items!: IncidentResponse[];
}
