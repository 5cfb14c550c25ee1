import { Column, Entity, Index } from 'typeorm';
import { numericTransformer } from '../persistence/numeric.transformer';
import type { CallDirection, ExoPhoneHealthState, HealthSource } from './exophone-health.types';

/** One change of health of one direction of an ExoPhone. */
@Entity('exotel_exophone_health_history')
@Index('IDX_exotel_exophone_health_history_sid', ['exoPhoneSid', 'id'])
export class ExoPhoneHealthHistoryEntity {
  @Column({ type: 'integer', primary: true, generated: 'increment', transformer: numericTransformer })
  id!: number;

  @Column({ name: 'exophone_sid', type: 'varchar', length: 64 })
  exoPhoneSid!: string;

  @Column({ type: 'varchar', length: 10 })
  direction!: CallDirection;

  @Column({ type: 'varchar', length: 30 })
  previous!: ExoPhoneHealthState;

  @Column({ type: 'varchar', length: 30 })
  current!: ExoPhoneHealthState;

  @Column({ type: 'varchar', length: 20 })
  source!: HealthSource;

  /** When the observation was made (a heartbeat's timestamp, a sweep's check). */
  @Column({ name: 'observed_at', type: Date })
  observedAt!: Date;

  @Column({ name: 'recorded_at', type: Date })
  recordedAt!: Date;
}
