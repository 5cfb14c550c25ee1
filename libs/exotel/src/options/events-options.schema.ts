import { z } from 'zod';
import { problem } from './configuration-problems';
import { OPTION_DEFAULTS } from './exotel-options.defaults';
import { kafkaConnectionSchema } from './kafka-connection.options';
import { positiveInt } from './positive-int.schema';

const D = OPTION_DEFAULTS.events;

/** Validation of the `events` options (envelope, Kafka, outbox relay, handlers), with defaults. */
export const eventsOptionsSchema = z
  .strictObject({
    source: z
      .string(problem('must be text', 'use a URI naming this service, e.g. urn:acme:telephony'))
      .min(1, problem('must not be empty', 'use a URI naming this service, e.g. urn:acme:telephony'))
      .default(D.source),
    kafka: kafkaConnectionSchema
      .extend({
        topicPrefix: z
          .string()
          .regex(
            /^[A-Za-z0-9._-]+$/,
            problem(
              'may use letters, digits, ".", "_" and "-" only',
              'use a prefix such as exotel or acme.telephony',
            ),
          )
          .default(D.kafka.topicPrefix),
        idempotent: z
          .boolean(problem('must be true or false', 'set false only for a cluster without idempotence'))
          .default(D.kafka.idempotent),
        stallAfterMs: positiveInt('stallAfterMs', D.kafka.stallAfterMs),
      })
      .optional(),
    relay: z
      .strictObject({
        batchSize: positiveInt('batchSize', D.relay.batchSize),
        pollIntervalMs: positiveInt('pollIntervalMs', D.relay.pollIntervalMs),
        maxBackoffMs: positiveInt('maxBackoffMs', D.relay.maxBackoffMs),
        drainOnShutdownMs: positiveInt('drainOnShutdownMs', D.relay.drainOnShutdownMs),
        concurrency: z
          .int(problem('must be a whole number', `use 1 to 8; ${D.relay.concurrency} by default`))
          .min(1, problem('must be at least 1', `use 1 to 8; ${D.relay.concurrency} by default`))
          .max(
            16,
            problem('must be at most 16', 'use 1 to 8; each batch in flight may need a database connection'),
          )
          .default(D.relay.concurrency),
        leaseMs: positiveInt('leaseMs', D.relay.leaseMs),
      })
      .prefault({}),
    handlers: z
      .strictObject({
        maxAttempts: z
          .int()
          .min(1, problem('must be at least 1', `use ${D.handlers.maxAttempts} (the default)`))
          .default(D.handlers.maxAttempts),
        retryDelayMs: positiveInt('retryDelayMs', D.handlers.retryDelayMs),
      })
      .prefault({}),
    retentionHours: z
      .number()
      .positive(problem('must be positive', `use hours, e.g. ${D.retentionHours}`))
      .default(D.retentionHours),
    lagWarningSeconds: z
      .number()
      .positive(problem('must be positive', `use seconds, e.g. ${D.lagWarningSeconds}`))
      .default(D.lagWarningSeconds),
  })
  .prefault({});
