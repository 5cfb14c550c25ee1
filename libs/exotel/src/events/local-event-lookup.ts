/**
 * Provided by `ExotelModule`: tells whether an event was published by this application (any of
 * its replicas), whose in-process handlers already ran for it from the outbox. An app that imports
 * both `ExotelModule` and `ExotelEventsConsumerModule` then runs each handler once per event: its own
 * events in-process, other publishers' events from Kafka.
 */
export interface LocalEventLookup {
  /** Whether the event with this CloudEvents `id` is in this application's outbox. */
  publishedHere(eventId: string): Promise<boolean>;
}

/** Injection token of the `LocalEventLookup` (a plain token, so `nestjs-exotel/events` loads no ORM). */
export const EXOTEL_LOCAL_EVENTS = Symbol.for('nestjs-exotel:local-event-lookup');
