import { Logger } from '@nestjs/common';
import type { Kafka, KafkaConfig, LogEntry } from 'kafkajs';
import { ExotelConfigurationError } from '../../errors/exotel-configuration.error';
import { logLine } from '../../logging/log-line';
import type { ExotelKafkaConnectionOptions } from '../../options/kafka-connection.options';

/**
 * kafkajs is an optional peer: it is loaded when a Kafka client is first needed, so a host that
 * keeps events in-process never installs it.
 */
function loadKafkajs(): typeof import('kafkajs') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (optional peer)
    return require('kafkajs') as typeof import('kafkajs');
  } catch {
    throw new ExotelConfigurationError([
      {
        path: 'events.kafka',
        problem: 'needs the kafkajs package, which is not installed',
        fix: 'npm install kafkajs',
      },
    ]);
  }
}

/** A kafkajs client for the given connection options, logging through Nest's logger. */
export function createKafkaClient(
  options: Required<Pick<ExotelKafkaConnectionOptions, 'brokers' | 'clientId'>> &
    ExotelKafkaConnectionOptions,
): Kafka {
  const { Kafka, logLevel } = loadKafkajs();
  const logger = new Logger('Kafka');
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    ssl: options.ssl,
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // Short client-level retries: the outbox relay backs off and retries on its own, and keeps the
    // events safe in the database meanwhile.
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...fields } = entry.log;
      // The idempotent producer's retries are bounded on purpose (above); kafkajs warns of it.
      if (message.startsWith('Limiting retries for the idempotent producer')) return;
      const line = logLine(message, { kafka: entry.namespace, ...pickSafe(fields) });
      if (entry.level <= logLevel.ERROR) logger.error(line);
      else logger.warn(line);
    },
  };
  if (options.sasl) config.sasl = { ...options.sasl } as KafkaConfig['sasl'];
  if (options.socketFactory) config.socketFactory = options.socketFactory;
  return new Kafka(config);
}

// kafkajs log fields are about brokers and topics; keep a few and never anything credential-like.
function pickSafe(fields: Record<string, unknown>): Record<string, unknown> {
  const safe: Record<string, unknown> = {};
  for (const key of ['broker', 'topic', 'partition', 'error', 'retryCount', 'retryTime', 'groupId']) {
    if (fields[key] !== undefined) safe[key] = fields[key];
  }
  return safe;
}
