import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, type EntityManager } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import { OutboxEventEntity } from './outbox-event.entity';

/** Where outbox events are delivered. */
export type OutboxTarget = 'inProcess' | 'kafka';

const COLUMN = { inProcess: 'dispatchedAt', kafka: 'publishedAt' } as const satisfies Record<
  OutboxTarget,
  keyof OutboxEventEntity
>;
const SQL_COLUMN = { inProcess: 'dispatched_at', kafka: 'published_at' } as const satisfies Record<
  OutboxTarget,
  string
>;

/** Pending work of one target. */
export interface OutboxBacklog {
  readonly pending: number;
  /** Age of the oldest pending event, 0 when none is pending. */
  readonly oldestPendingSeconds: number;
}

/**
 * Claims, hands out and marks outbox events, per delivery target.
 *
 * PostgreSQL: rows are claimed with `FOR UPDATE SKIP LOCKED` inside a transaction that stays open
 * while they are delivered, so several relays (replicas) share the work. A relay only delivers a
 * subject's events from the first pending one onwards, in position order: if another relay holds
 * an earlier event of the same subject, the later ones wait, so no subject is ever reordered.
 *
 * SQLite: one relay reads, delivers outside the database lock, then marks.
 */
@Injectable()
export class OutboxStore {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
  ) {}

  /**
   * Claims up to `limit` deliverable events for `target`, passes them to `deliver` and marks them
   * delivered once it resolves. If `deliver` throws, nothing is marked and the error propagates.
   * Resolves to the number of events delivered.
   */
  async deliverNext(
    target: OutboxTarget,
    limit: number,
    deliver: (rows: OutboxEventEntity[]) => Promise<void>,
  ): Promise<number> {
    if (this.db.dialect === 'postgres') {
      return this.db.transaction(async (manager) => {
        const claimed = await manager
          .createQueryBuilder(OutboxEventEntity, 'o')
          .where(`o.${SQL_COLUMN[target]} IS NULL`)
          .orderBy('o.position', 'ASC')
          .limit(limit)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        const ready = await this.headOfLine(manager, target, claimed);
        if (ready.length === 0) return 0;
        await deliver(ready);
        await this.mark(manager, target, ready);
        return ready.length;
      });
    }
    const rows = await this.db.read((manager) =>
      manager.find(OutboxEventEntity, {
        where: { [COLUMN[target]]: IsNull() },
        order: { position: 'ASC' },
        take: limit,
      }),
    );
    if (rows.length === 0) return 0;
    await deliver(rows);
    await this.db.transaction((manager) => this.mark(manager, target, rows));
    return rows.length;
  }

  /** Records a failed Kafka delivery on the events that were tried. */
  async recordPublishFailure(rows: readonly OutboxEventEntity[], error: string): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(OutboxEventEntity)
        .set({ publishAttempts: () => 'publish_attempts + 1', lastPublishError: error.slice(0, 500) })
        .where({ position: In(rows.map((r) => r.position)) })
        .execute(),
    );
  }

  /** How much is waiting for `target`. */
  async backlog(target: OutboxTarget): Promise<OutboxBacklog> {
    const column = SQL_COLUMN[target];
    const [row] = await this.db.read((manager) =>
      manager
        .createQueryBuilder(OutboxEventEntity, 'o')
        .select('COUNT(*)', 'pending')
        .addSelect('MIN(o.created_at)', 'oldest')
        .where(`o.${column} IS NULL`)
        .getRawMany<{ pending: string | number; oldest: string | Date | null }>(),
    );
    const oldest = row?.oldest ? toDate(row.oldest) : undefined;
    return {
      pending: Number(row?.pending ?? 0),
      oldestPendingSeconds: oldest ? Math.max(0, (this.clock.now().getTime() - oldest.getTime()) / 1000) : 0,
    };
  }

  /**
   * Deletes events delivered before `cutoff` to every target that is in use. Returns how many went.
   * Works in slices so a large backlog never holds a long lock.
   */
  async prune(cutoff: Date, targets: readonly OutboxTarget[], slice = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = await this.db.transaction(async (manager) => {
        const query = manager.createQueryBuilder(OutboxEventEntity, 'o').select('o.position', 'position');
        for (const target of targets) query.andWhere(`o.${SQL_COLUMN[target]} < :cutoff`, { cutoff });
        const rows = await query
          .orderBy('o.position', 'ASC')
          .limit(slice)
          .getRawMany<{ position: number | string }>();
        if (rows.length === 0) return 0;
        await manager.delete(OutboxEventEntity, { position: In(rows.map((r) => Number(r.position))) });
        return rows.length;
      });
      total += removed;
      if (removed < slice) return total;
    }
  }

  private async mark(
    manager: EntityManager,
    target: OutboxTarget,
    rows: readonly OutboxEventEntity[],
  ): Promise<void> {
    await manager.update(
      OutboxEventEntity,
      { position: In(rows.map((r) => r.position)) },
      { [COLUMN[target]]: this.clock.now() },
    );
  }

  /** Keeps, per subject, only the claimed events that come before any pending event this relay does not hold. */
  private async headOfLine(
    manager: EntityManager,
    target: OutboxTarget,
    claimed: OutboxEventEntity[],
  ): Promise<OutboxEventEntity[]> {
    if (claimed.length === 0) return claimed;
    const mine = new Set(claimed.map((r) => r.position));
    const last = claimed[claimed.length - 1].position;
    const pending = await manager.find(OutboxEventEntity, {
      select: { position: true, family: true, subject: true },
      where: {
        [COLUMN[target]]: IsNull(),
        subject: In([...new Set(claimed.map((r) => r.subject))]),
        position: LessThan(last + 1),
      },
      order: { position: 'ASC' },
    });
    const firstForeign = new Map<string, number>();
    for (const row of pending) {
      const key = `${row.family}:${row.subject}`;
      if (!mine.has(row.position) && !firstForeign.has(key)) firstForeign.set(key, row.position);
    }
    return claimed.filter((row) => {
      const blocker = firstForeign.get(`${row.family}:${row.subject}`);
      return blocker === undefined || row.position < blocker;
    });
  }
}

function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  // SQLite returns "YYYY-MM-DD HH:mm:ss.SSS" in UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
