import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CallPurpose } from '../call-request';

/** A batch of queued calls (`POST /calls/batches`); its calls are `exotel_queued_calls` rows. */
@Entity('exotel_call_batches')
export class CallBatchEntity {
  /** ULID. */
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 15 })
  purpose!: CallPurpose;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  /** When its last call reached a final state (`call.batch.completed` was published then). */
  @Column({ name: 'completed_at', type: Date, nullable: true })
  completedAt!: Date | null;
}
