import type { EntityManager } from 'typeorm';
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
}
