import { SetMetadata } from '@nestjs/common';

/** Metadata key of `@OnExotelEvent()`. */
export const ON_EXOTEL_EVENT = 'exotel:on-event';

/**
 * Marks a provider method as an in-process handler of one or more event types (`'*'` for all).
 * The method receives the `ExotelEvent` after the transaction that published it committed.
 *
 * ```ts
 * @Injectable()
 * class Alerts {
 *   @OnExotelEvent('exophone.health_changed')
 *   async onHealth(event: ExotelEvent) { ... }
 * }
 * ```
 */
export const OnExotelEvent = (types: string | readonly string[]): MethodDecorator =>
  SetMetadata(ON_EXOTEL_EVENT, typeof types === 'string' ? [types] : [...types]);
