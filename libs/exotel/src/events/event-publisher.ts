import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { bulkInsert, type OnConflictUpdate } from '../persistence/bulk-insert';
import type { ExotelDatabase } from '../persistence/exotel-database';
import type { CataloguedEventInput } from './event-catalogue';
import type { ExotelEvent } from './exotel-event';

/**
 * The port services publish through. Call it inside the database transaction that makes the change
 * the events describe: the events are stored with the change and delivered only after it commits.
 *
 * ```ts
 * await this.db.transaction(async (manager) => {
 *   await manager.save(call);
 *   await this.events.publish(manager, { type: 'call.initiated', subject: call.id, data });
 * });
 * ```
 */
export abstract class EventPublisher {
  /**
   * Appends events to the outbox within `manager`'s transaction and returns them as they will be
   * delivered. Each event's `data` is checked against the catalogue; a mismatch is a programming
   * error and throws, rolling the transaction back.
   */
  abstract publish(
    manager: EntityManager,
    events: CataloguedEventInput | readonly CataloguedEventInput[],
  ): Promise<ExotelEvent[]>;

  /**
   * Writes `rows` (inserted, or upserted with `onConflict`) and publishes `events` within
   * `manager`'s transaction. A store that can does both in one statement (the outbox on
   * PostgreSQL: one round trip instead of two).
   */
  async publishWithRows<T extends ObjectLiteral>(
    manager: EntityManager,
    rows: RowsToWrite<T>,
    events: readonly CataloguedEventInput[],
  ): Promise<ExotelEvent[]> {
    await bulkInsert(manager, rows.entity, rows.rows, rows.onConflict);
    return this.publish(manager, events);
  }

  /**
   * `publishWithRows` in a transaction of its own. A store that writes both in one statement lets
   * it commit itself (on PostgreSQL: one round trip instead of four), which is why the publisher,
   * not the caller, opens the transaction.
   */
  insertAndPublish<T extends ObjectLiteral>(
    db: ExotelDatabase,
    rows: RowsToWrite<T>,
    events: readonly CataloguedEventInput[],
  ): Promise<ExotelEvent[]> {
    return db.transaction((manager) => this.publishWithRows(manager, rows, events));
  }
}

/** Rows written with events: inserted, or upserted when `onConflict` says how. */
export interface RowsToWrite<T extends ObjectLiteral> {
  readonly entity: EntityTarget<T>;
  readonly rows: readonly T[];
  readonly onConflict?: OnConflictUpdate;
}
