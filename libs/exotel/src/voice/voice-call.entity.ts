import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the voice capability knows of a call, keyed by Exotel's CallSid: the Passthru answers, the
 * bot stream (start, stop, who disconnected, duration) and the transfer to a human. The default
 * `VoiceCallRecords` keeps it here until the calls table takes it over; stream URLs are stored
 * without credentials or query.
 */
@Entity('exotel_voice_calls')
export class VoiceCallEntity {
  @PrimaryColumn({ name: 'call_sid', type: 'varchar', length: 64 })
  callSid!: string;

  /** `incoming` / `inbound` / `outbound-dial` as Exotel sent it. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  direction!: string | null;

  /** The caller (`CallFrom`), E.164 when it parses. */
  @Column({ name: 'from_number', type: 'varchar', length: 32, nullable: true })
  fromNumber!: string | null;

  /** The ExoPhone called (`CallTo`), E.164 when it parses. */
  @Column({ name: 'to_number', type: 'varchar', length: 32, nullable: true })
  toNumber!: string | null;

  @Column({ name: 'flow_id', type: 'varchar', length: 100, nullable: true })
  flowId!: string | null;

  @Column({ name: 'call_type', type: 'varchar', length: 30, nullable: true })
  callType!: string | null;

  /** Digits of the last Gather, without Exotel's quotes. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  digits!: string | null;

  @Column({ name: 'custom_field', type: 'varchar', length: 256, nullable: true })
  customField!: string | null;

  @Column({ name: 'recording_url', type: 'varchar', length: 1000, nullable: true })
  recordingUrl!: string | null;

  @Column({ name: 'passthru_count', type: 'integer', default: 0 })
  passthruCount!: number;

  /** Branch of the last Passthru answer: `ok` (200) or `found` (302). */
  @Column({ name: 'last_branch', type: 'varchar', length: 10, nullable: true })
  lastBranch!: string | null;

  @Column({ name: 'stream_sid', type: 'varchar', length: 64, nullable: true })
  streamSid!: string | null;

  /** `streaming` while the gateway holds it, then Exotel's `Stream[Status]` or `ended`. */
  @Column({ name: 'stream_status', type: 'varchar', length: 20, nullable: true })
  streamStatus!: string | null;

  @Column({ name: 'stream_encoding', type: 'varchar', length: 10, nullable: true })
  streamEncoding!: string | null;

  @Column({ name: 'stream_sample_rate', type: 'integer', nullable: true })
  streamSampleRate!: number | null;

  @Column({ name: 'stream_agent', type: 'varchar', length: 100, nullable: true })
  streamAgent!: string | null;

  @Column({ name: 'stream_started_at', type: Date, nullable: true })
  streamStartedAt!: Date | null;

  @Column({ name: 'stream_stopped_at', type: Date, nullable: true })
  streamStoppedAt!: Date | null;

  /** Seconds the stream lasted (ours, else Exotel's `Stream[Duration]`). */
  @Column({ name: 'stream_duration_seconds', type: 'integer', nullable: true })
  streamDurationSeconds!: number | null;

  @Column({ name: 'stream_stop_reason', type: 'varchar', length: 30, nullable: true })
  streamStopReason!: string | null;

  /** `user`, `bot`, `exotel` or `NA`. */
  @Column({ name: 'disconnected_by', type: 'varchar', length: 10, nullable: true })
  disconnectedBy!: string | null;

  @Column({ name: 'stream_recording_url', type: 'varchar', length: 1000, nullable: true })
  streamRecordingUrl!: string | null;

  /** The stream URL Exotel reported, without credentials or query. */
  @Column({ name: 'stream_url', type: 'varchar', length: 600, nullable: true })
  streamUrl!: string | null;

  @Column({ name: 'stream_error', type: 'varchar', length: 500, nullable: true })
  streamError!: string | null;

  /** Number the caller is being transferred to (E.164), until the call ends. */
  @Column({ name: 'transfer_to', type: 'varchar', length: 32, nullable: true })
  transferTo!: string | null;

  @Column({ name: 'transfer_requested_at', type: Date, nullable: true })
  transferRequestedAt!: Date | null;

  /** When the Connect applet first fetched the target. */
  @Column({ name: 'transfer_dialled_at', type: Date, nullable: true })
  transferDialledAt!: Date | null;

  @Column({ name: 'transfer_count', type: 'integer', default: 0 })
  transferCount!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
