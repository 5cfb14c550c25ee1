import { z } from 'zod';
import type { ExotelEventFamily } from '../event-families';
import {
  kafkaConnectionSchema,
  type ExotelKafkaConnectionOptions,
} from '../../options/kafka-connection.options';
import { OPTION_DEFAULTS } from '../../options/exotel-options.defaults';
import type { EventDeduplicator } from './event-deduplicator';

/** Options of `ExotelEventsConsumerModule`. */
export interface ExotelEventsConsumerOptions {
  /** The Kafka cluster the publishing service writes to. */
  kafka: ExotelKafkaConnectionOptions;
  /** Consumer group: instances sharing it split the partitions between them. */
  groupId: string;
  /** Topic prefix used by the publisher. @default 'exotel' */
  topicPrefix?: string;
  /** Families to subscribe to. @default the families of the event types your handlers handle */
  families?: ExotelEventFamily[];
  /** Read a new group's topics from the beginning rather than only new events. @default false */
  fromBeginning?: boolean;
  /** Event ids remembered to drop redeliveries (0 disables). @default 10000 */
  dedupeCapacity?: number;
  /** Your own deduplicator (for dedupe that survives restarts); overrides `dedupeCapacity`. */
  deduplicator?: EventDeduplicator;
  /** Check each event's data against the catalogue and skip (and log) those that do not match. @default true */
  validate?: boolean;
  /** Retries of a failing handler before it is logged and left. */
  handlers?: { maxAttempts?: number; retryDelayMs?: number };
}

/** Validation of the consumer options, with defaults. */
export const consumerOptionsSchema = z.object({
  kafka: kafkaConnectionSchema,
  groupId: z.string().min(1),
  topicPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default(OPTION_DEFAULTS.events.kafka.topicPrefix),
  families: z.array(z.enum(['exophones', 'calls', 'incidents', 'support'])).optional(),
  fromBeginning: z.boolean().default(false),
  dedupeCapacity: z.int().nonnegative().default(10_000),
  deduplicator: z
    .custom<EventDeduplicator>((v) => typeof (v as EventDeduplicator)?.seenBefore === 'function')
    .optional(),
  validate: z.boolean().default(true),
  handlers: z
    .object({ maxAttempts: z.int().min(1).default(3), retryDelayMs: z.int().positive().default(200) })
    .prefault({}),
});

/** Consumer options after defaults. */
export type ResolvedConsumerOptions = z.output<typeof consumerOptionsSchema>;
