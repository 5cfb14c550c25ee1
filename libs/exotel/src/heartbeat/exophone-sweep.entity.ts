import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Why a sweep of the ExoPhone-details API started. */
export type SweepReason = 'payload_too_large' | 'heartbeat_missed' | 'manual';

/**
 * A sweep through the ExoPhone-details API, one ExoPhone after another within Exotel's throttle.
 * The cursor is saved after every ExoPhone, so a restart resumes where the sweep stopped.
 */
@Entity('exotel_exophone_sweeps')
@Index('IDX_exotel_exophone_sweeps_open', ['accountSid', 'finishedAt'])
export class ExoPhoneSweepEntity {
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ name: 'account_sid', type: 'varchar', length: 100 })
  accountSid!: string;

  @Column({ type: 'varchar', length: 20 })
  reason!: SweepReason;

  @Column({ name: 'started_at', type: Date })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt!: Date | null;

  /** SID of the last ExoPhone checked; the sweep goes on after it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  cursor!: string | null;

  /** ExoPhones checked so far. */
  @Column({ type: 'integer', default: 0 })
  checked!: number;

  /** ExoPhones that could not be observed (marked unknown). */
  @Column({ type: 'integer', default: 0 })
  unobservable!: number;
}
