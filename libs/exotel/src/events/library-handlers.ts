import { SetMetadata } from '@nestjs/common';

/** Metadata key of `@LibraryEventHandlers()`. */
export const LIBRARY_EVENT_HANDLERS = 'exotel:library-event-handlers';

/**
 * Marks a provider of this library whose `@OnExotelEvent()` methods are the module's own wiring
 * (incidents fed from health events, for example). They run in-process in the publishing service
 * only: `ExotelEventsConsumerModule` leaves them out, so a consuming app runs its own handlers, and
 * subscribes only to the topics those need.
 *
 * @internal
 */
export const LibraryEventHandlers = (): ClassDecorator => SetMetadata(LIBRARY_EVENT_HANDLERS, true);
