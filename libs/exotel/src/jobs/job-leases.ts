import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ExotelDatabase } from '../persistence/exotel-database';
import { JobLeaseEntity } from './job-lease.entity';

/**
 * Leases on named jobs, stored in the database so they hold across replicas. A lease is taken when
 * it is free, expired, or already ours; holding it for a tick means no other replica runs that job's
 * tick. Leases use the wall clock: they coordinate real processes, not simulated time.
 */
@Injectable()
export class JobLeases {
  /** Identifies this process among the replicas. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(private readonly db: ExotelDatabase) {}

  /** Takes or renews the lease on `name` for `ttlMs`; true when this process holds it. */
  async tryAcquire(name: string, ttlMs: number): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlMs);
    return this.db.transaction(async (manager) => {
      const renewed = await manager
        .createQueryBuilder()
        .update(JobLeaseEntity)
        .set({ owner: this.owner, expiresAt })
        .where('name = :name AND (owner = :owner OR expires_at < :now)', { name, owner: this.owner, now })
        .execute();
      if ((renewed.affected ?? 0) > 0) return true;
      await manager
        .createQueryBuilder()
        .insert()
        .into(JobLeaseEntity)
        .values({ name, owner: this.owner, expiresAt })
        .orIgnore()
        .execute();
      const lease = await manager.findOneBy(JobLeaseEntity, { name });
      return lease?.owner === this.owner;
    });
  }

  /**
   * Extends the lease on `name` to `ttlMs` from now if this process still holds it (a long pass
   * renews its lease as it runs); false when it does not (the lease expired and another took it).
   */
  async renew(name: string, ttlMs: number): Promise<boolean> {
    const expiresAt = new Date(Date.now() + ttlMs);
    const renewed = await this.db.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(JobLeaseEntity)
        .set({ expiresAt })
        .where('name = :name AND owner = :owner', { name, owner: this.owner })
        .execute(),
    );
    return (renewed.affected ?? 0) > 0;
  }

  /** Gives the lease up (on shutdown) so another replica can take over at once. */
  async release(name: string): Promise<void> {
    await this.db.transaction((manager) =>
      manager.delete(JobLeaseEntity, { name, owner: this.owner }).then(() => undefined),
    );
  }
}
