import { SetMetadata } from '@nestjs/common';
import type { ExotelEventType } from './event-catalogue';

/** Metadata key of `@OnExotelEvent()`. */
export const ON_EXOTEL_EVENT = 'exotel:on-event';

/**
 * Marks a provider method as an in-process handler of one or more event types (`'*'` for all).
 * The method receives the event after the transaction that published it committed (in the
 * publishing service), or when it is read from Kafka (with `ExotelEventsConsumerModule`).
 *
 * ```ts
 * @Injectable()
 * class Alerts {
 *   @OnExotelEvent('exophone.health_changed')
 *   async onHealth(event: ExotelEventOf<'exophone.health_changed'>) { ... }
 * }
 * ```
 */
export const OnExotelEvent = (
  types: ExotelEventType | '*' | readonly (ExotelEventType | '*')[],
): MethodDecorator => SetMetadata(ON_EXOTEL_EVENT, typeof types === 'string' ? [types] : [...types]);
