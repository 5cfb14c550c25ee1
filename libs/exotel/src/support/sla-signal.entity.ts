import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One SLA signal (`sla.warning` or `sla.breached`) that was published. The primary key is what
 * makes each signal happen once per ticket, metric and cycle even when several replicas check the
 * same ticket at the same moment: the second insert finds the row and publishes nothing. A job
 * lease alone cannot promise that (a lease can expire while its holder is still working).
 */
@Entity('exotel_sla_signals')
export class SlaSignalEntity {
  @PrimaryColumn({ name: 'ticket_id', type: 'varchar', length: 26 })
  ticketId!: string;

  /** `acknowledgement` or `response`. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  metric!: string;

  /** 1 for the first time a metric is measured (tickets are not reopened yet). */
  @PrimaryColumn({ type: 'integer' })
  cycle!: number;

  /** `warning` or `breached`. */
  @PrimaryColumn({ type: 'varchar', length: 20 })
  kind!: string;

  /** Random token of the transaction that inserted the row: tells the inserter it won. */
  @Column({ type: 'varchar', length: 36 })
  claim!: string;

  @Column({ name: 'recorded_at', type: Date })
  recordedAt!: Date;
}
