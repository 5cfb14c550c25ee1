import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { In, IsNull, type EntityManager } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import type { ExotelEvent } from './exotel-event';
import { OutboxEventEntity } from './outbox-event.entity';
import { toEnvelope } from './outbox-event-publisher';
import type { LocalEventLookup } from './local-event-lookup';
import { claimBatch, markDelivered, releaseClaims, renewClaims } from './outbox-claims';

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

/** How `deliverNext` claims on PostgreSQL (SQLite has one relay and no claims). */
export interface ClaimOptions {
  /**
   * Positions this relay is still delivering in other batches (PostgreSQL): they are delivered
   * first, so they do not hold back later events of their subjects.
   */
  readonly exclude?: readonly number[];
  /** Called (PostgreSQL) just before the claim's statement is sent. */
  readonly onClaiming?: () => void;
  /** Called with the positions claimed for delivery, before they are delivered. */
  readonly onClaimed?: (positions: readonly number[]) => void;
}

/** An outbox event handed out for delivery. */
export interface PendingEvent {
  /** Its place in the outbox. */
  readonly position: number;
  /** Its family (the Kafka topic's suffix). */
  readonly family: string;
  readonly event: ExotelEvent;
  /**
   * `event.data` as JSON text, when the database handed it out so (PostgreSQL): Kafka sends it as
   * it is, and `event.data` is only parsed if something reads it.
   */
  readonly dataJson?: string;
}

/** Pending work of one target. */
export interface OutboxBacklog {
  readonly pending: number;
  /** Age of the oldest pending event, 0 when none is pending. */
  readonly oldestPendingSeconds: number;
}

/**
 * Claims, hands out and marks outbox events, per delivery target. No transaction or row lock is
 * ever held while events are delivered (a send can hang as long as a broker stays silent).
 *
 * PostgreSQL: a short transaction stamps the next pending rows with a claim (this relay's id and
 * an expiry, `events.relay.leaseMs`, renewed while it delivers) and commits; the events are
 * delivered outside any transaction; a second short transaction marks them delivered, or a failure
 * releases the claim. Each target has its own claim columns, so in-process delivery never waits for
 * Kafka's claims. Several relays (replicas) share the work: a claimed row is skipped by the others
 * until its claim lapses (its relay crashed or froze and stopped renewing it), when another relay
 * takes it over and delivers it again: delivery is at least once. A relay only delivers a subject's events from its first
 * pending one onwards, in position order: if another relay holds an earlier event of the same
 * subject, the later ones wait, so a subject's first deliveries are never reordered.
 *
 * SQLite: one relay reads, delivers outside the database lock, then marks.
 */
@Injectable()
export class OutboxStore implements LocalEventLookup {
  /** This relay's name on the rows it claims (host, process and a random part: unique per boot). */
  readonly owner = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
    @InjectExotelOptions('events') private readonly events: ResolvedExotelOptions['events'],
  ) {}

  /** Whether the event is in this application's outbox (one look-up by its unique id). */
  publishedHere(eventId: string): Promise<boolean> {
    return this.db.read((manager) => manager.exists(OutboxEventEntity, { where: { id: eventId } }));
  }

  /**
   * Claims up to `limit` deliverable events for `target`, passes them to `deliver` and marks them
   * delivered once it resolves. If `deliver` throws, nothing is marked (the claim is released) and
   * the error propagates. No transaction is open while `deliver` runs. Resolves to the number of
   * events delivered.
   */
  async deliverNext(
    target: OutboxTarget,
    limit: number,
    deliver: (events: PendingEvent[]) => Promise<void>,
    options: ClaimOptions = {},
  ): Promise<number> {
    if (this.db.dialect === 'postgres') return this.deliverClaimed(target, limit, deliver, options);
    const rows = await this.db.read((manager) =>
      manager.find(OutboxEventEntity, {
        where: { [COLUMN[target]]: IsNull() },
        order: { position: 'ASC' },
        take: limit,
      }),
    );
    if (rows.length === 0) return 0;
    await deliver(
      rows.map((row) => ({ position: row.position, family: row.family, event: toEnvelope(row) })),
    );
    await this.db.transaction((manager) => this.mark(manager, target, rows));
    return rows.length;
  }

  /** Records a failed Kafka delivery on the events that were tried. */
  async recordPublishFailure(rows: readonly PendingEvent[], error: string): Promise<void> {
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

  private async deliverClaimed(
    target: OutboxTarget,
    limit: number,
    deliver: (events: PendingEvent[]) => Promise<void>,
    options: ClaimOptions,
  ): Promise<number> {
    const ready = await this.db.transaction(async (manager) => {
      // Losing a claim's or a mark's commit in a database crash only means delivering these events
      // again (with their ids), which at-least-once delivery allows; neither need wait for the WAL
      // flush, which would otherwise hold up the next batch.
      await manager.query('SET LOCAL synchronous_commit TO OFF');
      options.onClaiming?.();
      return claimBatch(manager, {
        target,
        limit,
        owner: this.owner,
        now: this.clock.now(),
        expiresAt: this.claimExpiry(),
        exclude: options.exclude ?? [],
      });
    });
    const positions = ready.map((row) => row.position);
    options.onClaimed?.(positions);
    if (ready.length === 0) return 0;
    // While this process lives it keeps its claim, however long the delivery takes (a send waits
    // for a silent broker until kafkajs gives up); once it crashes or freezes, the claim lapses
    // within `leaseMs` and another relay takes the events over.
    const renewal = setInterval(
      () => {
        void this.db
          .transaction((manager) => renewClaims(manager, target, positions, this.owner, this.claimExpiry()))
          .catch(() => undefined);
      },
      Math.max(1, Math.floor(this.events.relay.leaseMs / 3)),
    );
    renewal.unref();
    try {
      await deliver(ready);
    } catch (error) {
      clearInterval(renewal);
      // Failing to release only means the rows wait for the claim to lapse.
      await this.db
        .transaction((manager) => releaseClaims(manager, target, positions, this.owner))
        .catch(() => undefined);
      throw error;
    }
    clearInterval(renewal);
    await this.db.transaction(async (manager) => {
      await manager.query('SET LOCAL synchronous_commit TO OFF');
      await markDelivered(manager, target, positions, this.clock.now());
    });
    return ready.length;
  }

  private claimExpiry(): Date {
    return new Date(this.clock.now().getTime() + this.events.relay.leaseMs);
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
}

function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  // SQLite returns "YYYY-MM-DD HH:mm:ss.SSS" in UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
