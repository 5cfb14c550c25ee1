import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ExoPhoneHealthState } from './exophone-health.types';

/**
 * An ExoPhone of the account with the health of each direction. Health columns change only when
 * the state changes (or Exotel reports a check time); the time of the last heartbeat that found a
 * number healthy lives in the heartbeat state, not on 50,000 rows.
 */
@Entity('exotel_exophones')
@Index('IDX_exotel_exophones_phone_number', ['phoneNumber'])
@Index('IDX_exotel_exophones_outgoing_state', ['outgoingState'])
@Index('IDX_exotel_exophones_incoming_state', ['incomingState'])
export class ExoPhoneEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sid!: string;

  /** E.164. */
  @Column({ name: 'phone_number', type: 'varchar', length: 20, nullable: true })
  phoneNumber!: string | null;

  @Column({ name: 'friendly_name', type: 'varchar', length: 100, nullable: true })
  friendlyName!: string | null;

  /** Telecom circle, e.g. DL, MH, KA, TN. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  region!: string | null;

  @Column({ type: 'varchar', length: 4, nullable: true })
  country!: string | null;

  /**
   * Printed on a website: inbound failover cannot help it. The effective value: the operator's
   * mark when there is one, else the `exophones.customerFacing` option (the inventory sync
   * recomputes it).
   */
  @Column({ name: 'customer_facing', type: 'boolean', default: false })
  customerFacing!: boolean;

  /**
   * An operator's mark (`PUT /exophones/:sid/customer-facing`, the console): true or false wins
   * over the options and survives inventory syncs; null follows the options.
   */
  @Column({ name: 'customer_facing_mark', type: 'boolean', nullable: true })
  customerFacingMark!: boolean | null;

  /** Listed by Exotel's ExoPhone API at the last sync (false: only seen in heartbeats). */
  @Column({ name: 'in_inventory', type: 'boolean', default: false })
  inInventory!: boolean;

  @Column({ name: 'incoming_state', type: 'varchar', length: 30, default: 'unknown' })
  incomingState!: ExoPhoneHealthState;

  @Column({ name: 'incoming_checked_at', type: Date, nullable: true })
  incomingCheckedAt!: Date | null;

  @Column({ name: 'incoming_alternates', type: 'jsonb', default: '[]' })
  incomingAlternates!: string[];

  @Column({ name: 'outgoing_state', type: 'varchar', length: 30, default: 'unknown' })
  outgoingState!: ExoPhoneHealthState;

  @Column({ name: 'outgoing_checked_at', type: Date, nullable: true })
  outgoingCheckedAt!: Date | null;

  @Column({ name: 'outgoing_alternates', type: 'jsonb', default: '[]' })
  outgoingAlternates!: string[];

  /** When a health column last changed. */
  @Column({ name: 'health_changed_at', type: Date, nullable: true })
  healthChangedAt!: Date | null;

  @Column({ name: 'synced_at', type: Date, nullable: true })
  syncedAt!: Date | null;
}
