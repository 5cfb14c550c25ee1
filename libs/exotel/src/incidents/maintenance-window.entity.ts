import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A declared maintenance window: work announced by an operator or by Exotel on a scope. Signals
 * inside it open planned incidents. `startedAt`/`endedAt` record when `maintenance.started` and
 * `maintenance.ended` were published; each is set once, by a conditional update.
 */
@Entity('exotel_maintenance_windows')
@Index('IDX_exotel_maintenance_windows_ends', ['endsAt'])
export class MaintenanceWindowEntity {
  /** ULID. */
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  scope!: string;

  /** `operator` or `exotel`: who announced (and does) the work. */
  @Column({ type: 'varchar', length: 20 })
  source!: string;

  @Column({ name: 'starts_at', type: Date })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: Date })
  endsAt!: Date;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'started_at', type: Date, nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'ended_at', type: Date, nullable: true })
  endedAt!: Date | null;
}
