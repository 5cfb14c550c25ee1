import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * What became of a received heartbeat: `stale` when it was older news than the last applied one
 * (see `HeartbeatOrderingService`), `set_aside` when applying it failed `heartbeat.maxApplyAttempts`
 * times (its `error` says why) and later heartbeats were applied without it.
 */
export type HeartbeatOutcome = 'pending' | 'applied' | 'stale' | 'set_aside';

/**
 * A heartbeat as Exotel delivered it: recorded before the webhook answers 200, applied after. The
 * unique (account, timestamp) key makes Exotel's retries of the same heartbeat one row, whichever
 * replica they reach.
 */
@Entity('exotel_heartbeats')
@Index('UQ_exotel_heartbeats_timestamp', ['accountSid', 'timestamp'], { unique: true })
// Pending heartbeats are applied in order of arrival.
@Index('IDX_exotel_heartbeats_pending', ['outcome', 'receivedAt'])
export class HeartbeatEntity {
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ name: 'account_sid', type: 'varchar', length: 100 })
  accountSid!: string;

  /** Exotel's `timestamp`: identifies the heartbeat and orders heartbeats. */
  @Column({ type: Date })
  timestamp!: Date;

  @Column({ name: 'status_type', type: 'varchar', length: 20 })
  statusType!: string;

  /** When its first delivery reached us (our clock): orders heartbeats; Exotel's retries keep it. */
  @Column({ name: 'received_at', type: Date })
  receivedAt!: Date;

  /** Deliveries of this heartbeat (Exotel retries up to twice). */
  @Column({ type: 'integer', default: 1 })
  deliveries!: number;

  /** The body as received (up to 10 MB of JSON). */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 10 })
  outcome!: HeartbeatOutcome;

  @Column({ name: 'applied_at', type: Date, nullable: true })
  appliedAt!: Date | null;

  /** Health changes it caused. */
  @Column({ type: 'integer', nullable: true })
  changes!: number | null;

  /** Attempts to apply it that failed. */
  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  /** Why the last attempt to apply it failed (set aside: why it was). */
  @Column({ name: 'apply_error', type: 'varchar', length: 500, nullable: true })
  applyError!: string | null;
}
