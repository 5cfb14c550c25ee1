// The public surface of nestjs-exotel/events: what a service that only consumes the Kafka topics
// needs. Nothing here loads TypeORM, an HTTP platform (Express) or kafkajs until a consumer connects.

export type { ExotelEvent } from './exotel-event';
export {
  EXOTEL_EVENT_SCHEMAS,
  EXOTEL_EVENT_TYPES,
  exotelEventJsonSchemas,
  isExotelEventType,
} from '../exotel-event-catalogue';
export type {
  ExotelEventData,
  ExotelEventOf,
  ExotelEventSchemaMap,
  ExotelEventType,
} from './event-catalogue';
export { familyOf, type ExotelEventFamily } from './event-families';
export { fromKafkaMessage, toKafkaMessage, NotACloudEventError } from './cloudevents-kafka';
export { OnExotelEvent } from './on-exotel-event.decorator';
export { ExotelEventsConsumerModule } from '../exotel-events-consumer.module';
export { ExotelEventsConsumer, type ConsumerCounts } from './consumer/exotel-events-consumer';
export type { ExotelEventsConsumerOptions } from './consumer/exotel-events-consumer.options';
export { RecentEventIds, type EventDeduplicator } from './consumer/event-deduplicator';
export type { ExotelKafkaConnectionOptions } from '../options/kafka-connection.options';
export { logLine } from '../logging/log-line';
