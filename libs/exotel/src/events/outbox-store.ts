import { Injectable } from '@nestjs/common';
import { In, IsNull, type EntityManager } from 'typeorm';
import { tableName } from '../persistence/table-name';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import type { ExotelEvent } from './exotel-event';
import { OutboxEventEntity } from './outbox-event.entity';
import { toEnvelope } from './outbox-event-publisher';
import type { LocalEventLookup } from './local-event-lookup';

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
   * Positions this relay is still delivering in other transactions (PostgreSQL): they are delivered
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
 * Claims, hands out and marks outbox events, per delivery target.
 *
 * PostgreSQL: rows are claimed with `FOR UPDATE SKIP LOCKED` (and marked) inside a transaction
 * that stays open while they are delivered and commits only once they were, so several relays
 * (replicas) share the work and a failure leaves the rows pending. A relay only delivers a
 * subject's events from its first pending one onwards, in position order: if another relay holds
 * an earlier event of the same subject, the later ones wait, so no subject is ever reordered.
 *
 * SQLite: one relay reads, delivers outside the database lock, then marks.
 */
@Injectable()
export class OutboxStore implements LocalEventLookup {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
  ) {}

  /** Whether the event is in this application's outbox (one look-up by its unique id). */
  publishedHere(eventId: string): Promise<boolean> {
    return this.db.read((manager) => manager.exists(OutboxEventEntity, { where: { id: eventId } }));
  }

  /**
   * Claims up to `limit` deliverable events for `target`, passes them to `deliver` and marks them
   * delivered once it resolves. If `deliver` throws, nothing is marked and the error propagates.
   * Resolves to the number of events delivered.
   */
  async deliverNext(
    target: OutboxTarget,
    limit: number,
    deliver: (events: PendingEvent[]) => Promise<void>,
    options: ClaimOptions = {},
  ): Promise<number> {
    if (this.db.dialect === 'postgres') {
      return this.db.transaction(async (manager) => {
        // Losing this commit in a database crash only means delivering these events again (with
        // their ids), which at-least-once delivery allows; the commit need not wait for the WAL
        // flush, which would otherwise hold up the next batch's delivery.
        await manager.query('SET LOCAL synchronous_commit TO OFF');
        options.onClaiming?.();
        const ready = await this.claim(manager, target, limit, options.exclude ?? []);
        options.onClaimed?.(ready.map((row) => row.position));
        if (ready.length > 0) await deliver(ready);
        // The claim already marked the rows; committing makes it true, a throw rolls it back.
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

  /**
   * PostgreSQL: locks and marks the next pending rows in one statement (skipping rows another relay
   * holds), then gives back, unmarked, any row whose subject has an earlier pending event this
   * relay does not hold. Inside the transaction, the rows we marked no longer count as pending;
   * `exclude` (rows this relay delivers in its other open transactions) does not count either.
   */
  private async claim(
    manager: EntityManager,
    target: OutboxTarget,
    limit: number,
    exclude: readonly number[],
  ): Promise<PendingEvent[]> {
    const table = tableName(manager, OutboxEventEntity);
    const column = SQL_COLUMN[target];
    // One round trip: lock and mark the next pending rows, then find, for each of their subjects,
    // the first earlier pending row that is not ours (the statement's snapshot still shows the rows
    // it marks as pending, hence leaving them out, with those this relay delivers elsewhere). The
    // earlier pending rows are read once, in one range scan of the pending index, and matched in
    // memory: a plan that looks them up subject by subject can cost seconds once statistics lag
    // behind a fast-moving outbox. A CTE also makes the driver return rows, not [rows, count].
    const rows = await manager.query<(RawOutboxRow & { blocked_from: string | number | null })[]>(
      `WITH claimed AS (` +
        // = ANY(ARRAY(...)) keeps the update on the primary key; IN (...) lets the planner scan the table.
        `UPDATE ${table} SET ${column} = $1 WHERE position = ANY(ARRAY(` +
        `SELECT position FROM ${table} WHERE ${column} IS NULL ORDER BY position LIMIT $2 FOR UPDATE SKIP LOCKED)) ` +
        'RETURNING position, id, type, source, family, subject, sequence, time, data::text AS data), ' +
        `earlier AS MATERIALIZED (SELECT o.position, o.family, o.subject FROM ${table} o ` +
        `WHERE o.${column} IS NULL AND o.position < (SELECT MAX(position) FROM claimed)), ` +
        'ours AS (SELECT position FROM claimed UNION ALL SELECT unnest($3::bigint[])), ' +
        'blockers AS (SELECT e.family, e.subject, MIN(e.position) AS first FROM earlier e ' +
        'WHERE e.position NOT IN (SELECT position FROM ours) GROUP BY e.family, e.subject) ' +
        'SELECT c.*, b.first AS blocked_from FROM claimed c ' +
        'LEFT JOIN blockers b ON b.family = c.family AND b.subject = c.subject ORDER BY c.position',
      [this.clock.now(), limit, exclude],
    );
    const ready: PendingEvent[] = [];
    const returned: number[] = [];
    for (const row of rows) {
      const blockedFrom = row.blocked_from === null ? undefined : Number(row.blocked_from);
      if (blockedFrom === undefined || Number(row.position) < blockedFrom) ready.push(fromRaw(row));
      else returned.push(Number(row.position));
    }
    if (returned.length > 0)
      await manager.query(`UPDATE ${table} SET ${column} = NULL WHERE position = ANY($1)`, [returned]);
    return ready;
  }
}

/** A row as `RETURNING` gives it (node-postgres parses timestamptz; `data` comes as JSON text). */
interface RawOutboxRow {
  position: string | number;
  id: string;
  type: string;
  source: string;
  family: string;
  subject: string;
  sequence: number;
  time: Date;
  data: string;
}

function fromRaw(raw: RawOutboxRow): PendingEvent {
  let data: unknown;
  let parsed = false;
  return {
    position: Number(raw.position),
    family: raw.family,
    dataJson: raw.data,
    event: {
      specversion: '1.0',
      id: raw.id,
      source: raw.source,
      type: raw.type,
      subject: raw.subject,
      time: raw.time.toISOString(),
      datacontenttype: 'application/json',
      sequence: raw.sequence,
      get data(): unknown {
        if (!parsed) {
          data = JSON.parse(raw.data);
          parsed = true;
        }
        return data;
      },
    },
  };
}

function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  // SQLite returns "YYYY-MM-DD HH:mm:ss.SSS" in UTC.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
