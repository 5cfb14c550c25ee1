import type { z } from 'zod';
import type { ExotelEvent, ExotelEventInput } from './exotel-event';

/**
 * The event catalogue's type: every event type the library publishes, with the schema of its
 * `data`. Empty here, because events/ knows no capability: `exotel-event-catalogue.ts`, beside the
 * module, assembles the capabilities' schemas (`EXOTEL_EVENT_SCHEMAS`) and fills this interface in
 * by declaration merging, so everything below is typed by the whole catalogue.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ExotelEventSchemaMap {}

/** Every event type, e.g. `'exophone.health_changed'`. */
export type ExotelEventType = keyof ExotelEventSchemaMap;

/** The `data` of an event type. */
export type ExotelEventData<T extends ExotelEventType> = z.output<ExotelEventSchemaMap[T]>;

/** A published event of type `T`, typed. Use it for handler parameters. */
export type ExotelEventOf<T extends ExotelEventType> = ExotelEvent<T, ExotelEventData<T>>;

/** What services publish: any catalogued type with its matching data. */
export type CataloguedEventInput = {
  [T in ExotelEventType]: ExotelEventInput<T, ExotelEventData<T>>;
}[ExotelEventType];

/**
 * Token of the catalogue's schemas at run time (`EXOTEL_EVENT_SCHEMAS`): the outbox checks what
 * services publish against them, the consumer what it reads. The modules provide it.
 */
export const EXOTEL_EVENT_CATALOGUE = 'EXOTEL_EVENT_CATALOGUE';

/** The schemas behind `EXOTEL_EVENT_CATALOGUE`, by event type. */
export type ExotelEventCatalogue = { readonly [T in ExotelEventType]: z.ZodType };

/** True when `type` is in `catalogue`. */
export function isCatalogued(catalogue: ExotelEventCatalogue, type: string): type is ExotelEventType {
  return Object.hasOwn(catalogue, type);
}
