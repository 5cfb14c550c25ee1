import type { ISocketFactory } from 'kafkajs';
import { z } from 'zod';
import { problem } from './configuration-problems';
import { OPTION_DEFAULTS } from './exotel-options.defaults';

const D = OPTION_DEFAULTS.events.kafka;

/** How to reach a Kafka cluster; shared by the publisher and the consumer helper. */
export interface ExotelKafkaConnectionOptions {
  /** Bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Client id reported to the brokers. @default 'nestjs-exotel' */
  clientId?: string;
  /** Use TLS. @default false */
  ssl?: boolean;
  /** SASL authentication. The password is never logged. */
  sasl?: {
    /** The mechanism the brokers expect. */
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    /** SASL user name. */
    username: string;
    /** SASL password. */
    password: string;
  };
  /** Time to connect to a broker. @default 3000 */
  connectionTimeoutMs?: number;
  /** Time for a broker to answer a request. @default 10000 */
  requestTimeoutMs?: number;
  /** Advanced: kafkajs socket factory (a proxy, or fault injection in tests). */
  socketFactory?: ISocketFactory;
}

const BROKER = /^[^\s:]+:\d{1,5}$/;

/** Validation of `ExotelKafkaConnectionOptions`, with defaults. */
export const kafkaConnectionSchema = z.object({
  brokers: z
    .array(
      z
        .string()
        .regex(BROKER, problem('each broker must be host:port', 'list brokers like kafka-1:9092'))
        .refine(
          (broker) => {
            // A broker that is not host:port at all has its problem already (one per broker).
            if (!BROKER.test(broker)) return true;
            const port = Number(broker.slice(broker.lastIndexOf(':') + 1));
            return port >= 1 && port <= 65_535;
          },
          problem('each broker port must be from 1 to 65535', 'list brokers like kafka-1:9092'),
        ),
      problem('must be a list of host:port', 'list brokers like ["kafka-1:9092","kafka-2:9092"]'),
    )
    .min(
      1,
      problem(
        'must list at least one broker',
        'list brokers like ["kafka-1:9092"], or leave kafka out to keep events in-process',
      ),
    ),
  clientId: z.string().min(1).default(D.clientId),
  ssl: z.boolean().default(D.ssl),
  sasl: z
    .object({
      mechanism: z.enum(
        ['plain', 'scram-sha-256', 'scram-sha-512'],
        problem('is not a SASL mechanism', 'use plain, scram-sha-256 or scram-sha-512'),
      ),
      username: z.string().min(1, problem('is empty', 'set the SASL user name')),
      password: z.string().min(1, problem('is empty', 'set the SASL password')),
    })
    .optional(),
  connectionTimeoutMs: z.int().positive().default(D.connectionTimeoutMs),
  requestTimeoutMs: z.int().positive().default(D.requestTimeoutMs),
  socketFactory: z
    .custom<ISocketFactory>(
      (value) => typeof value === 'function',
      problem('must be a function', 'pass a kafkajs socket factory or leave it out'),
    )
    .optional(),
});
