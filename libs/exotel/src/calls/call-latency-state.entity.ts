import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Whether Calls/connect latency is currently reported degraded, per account. Shared by replicas so
 * `call.latency_degraded` and `call.latency_restored` are published once per crossing, not once per
 * replica.
 */
@Entity('exotel_call_latency_state')
export class CallLatencyStateEntity {
  @PrimaryColumn({ name: 'account_sid', type: 'varchar', length: 100 })
  accountSid!: string;

  @Column({ type: 'boolean', default: false })
  degraded!: boolean;

  @Column({ name: 'changed_at', type: Date })
  changedAt!: Date;
}
