import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who runs a periodic job right now; lets one replica run each tick across a fleet. */
@Entity('exotel_job_leases')
export class JobLeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  owner!: string;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;
}
