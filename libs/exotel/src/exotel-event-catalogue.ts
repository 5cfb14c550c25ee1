import { z } from 'zod';
import { callEventSchemas } from './calls/call.events';
import { exoPhoneEventSchemas } from './exophones/exophone.events';
import { incidentEventSchemas } from './incidents/incident.events';
import { supportEventSchemas } from './support/support.events';
import { voiceEventSchemas } from './voice/voice.events';
import { familyOf } from './events/event-families';
import type { ExotelEventType } from './events/event-catalogue';

/**
 * Every event type the library publishes, with the schema of its `data`. Each capability owns its
 * schemas (`<capability>/<capability>.events.ts`); this is the one place they meet, beside the
 * module that assembles the capabilities. TypeScript types and JSON Schemas both come from here,
 * so they cannot disagree. Schemas only grow: a field is never removed or retyped, consumers
 * ignore fields they do not know.
 */
export const EXOTEL_EVENT_SCHEMAS = {
  ...exoPhoneEventSchemas,
  ...callEventSchemas,
  ...incidentEventSchemas,
  ...supportEventSchemas,
  ...voiceEventSchemas,
} as const;

type CataloguedSchemas = typeof EXOTEL_EVENT_SCHEMAS;

// Fills in the catalogue's type for events/ (ExotelEventType, ExotelEventOf, typed publish and
// @OnExotelEvent), which knows no capability itself.
declare module './events/event-catalogue' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ExotelEventSchemaMap extends CataloguedSchemas {}
}

/** Every catalogued type. */
export const EXOTEL_EVENT_TYPES = Object.keys(EXOTEL_EVENT_SCHEMAS) as ExotelEventType[];

/** True when `type` is in the catalogue. */
export function isExotelEventType(type: string): type is ExotelEventType {
  return Object.hasOwn(EXOTEL_EVENT_SCHEMAS, type);
}

/**
 * JSON Schema (draft 2020-12) of every event type as it travels: the CloudEvents envelope with the
 * type's `data`. Consumers in other languages validate against these.
 */
export function exotelEventJsonSchemas(): Record<ExotelEventType, Record<string, unknown>> {
  const schemas = {} as Record<ExotelEventType, Record<string, unknown>>;
  for (const type of EXOTEL_EVENT_TYPES) {
    const envelope = z.object({
      specversion: z.literal('1.0'),
      id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      source: z.string(),
      type: z.literal(type),
      subject: z.string(),
      time: z.iso.datetime({ offset: true }),
      datacontenttype: z.literal('application/json'),
      sequence: z.number().int().positive(),
      data: EXOTEL_EVENT_SCHEMAS[type],
    });
    schemas[type] = {
      $id: `https://nestjs-exotel.dev/schemas/events/${type}.json`,
      title: type,
      description: `CloudEvents envelope of ${type} (Kafka topic family: ${familyOf(type)}).`,
      // Input mode leaves objects open (no additionalProperties: false): consumers must accept
      // fields added in later versions.
      ...(z.toJSONSchema(envelope, { io: 'input' }) as Record<string, unknown>),
    };
  }
  return schemas;
}
