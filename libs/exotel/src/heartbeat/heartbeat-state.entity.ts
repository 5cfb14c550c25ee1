import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the library knows of an account's heartbeat stream. Appliers lock this row, so heartbeats
 * are applied one at a time, in order, whichever replica received them.
 */
@Entity('exotel_heartbeat_state')
export class HeartbeatStateEntity {
  @PrimaryColumn({ name: 'account_sid', type: 'varchar', length: 100 })
  accountSid!: string;

  /** Newest timestamp (Exotel's) of the heartbeats applied; never goes back until an ordering reset. */
  @Column({ name: 'last_applied_timestamp', type: Date, nullable: true })
  lastAppliedTimestamp!: Date | null;

  /**
   * When the newest heartbeat applied reached us (our clock): with its timestamp, what decides
   * whether a later arrival is newer news (`HeartbeatOrderingService`).
   */
  @Column({ name: 'last_applied_received_at', type: Date, nullable: true })
  lastAppliedReceivedAt!: Date | null;

  /** When that heartbeat's `status_type` was OK/WARNING/CRITICAL/PAYLOAD_TOO_LARGE. */
  @Column({ name: 'last_status_type', type: 'varchar', length: 20, nullable: true })
  lastStatusType!: string | null;

  /** When we last received any heartbeat (our clock). */
  @Column({ name: 'last_received_at', type: Date, nullable: true })
  lastReceivedAt!: Date | null;

  /** Set while heartbeats are missing (`heartbeat.missed` published, `heartbeat.restored` not yet). */
  @Column({ name: 'missed_since', type: Date, nullable: true })
  missedSince!: Date | null;

  /**
   * Set when a heartbeat was set aside (it failed to apply), cleared once a heartbeat that arrived
   * after that applies.
   */
  @Column({ name: 'set_aside_at', type: Date, nullable: true })
  setAsideAt!: Date | null;
}
