import 'reflect-metadata';
import {
  EventPublisher,
  ExotelDatabase,
  ExotelModule,
  OutboxRelay,
  toKafkaMessage,
  type CataloguedEventInput,
} from '@app/exotel';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { databaseOptions } from '../apps/exotel-service/src/database/database-options';
import type { DatabaseSettings } from '../apps/exotel-service/src/config/service-config';
import { startMockKafkaCluster } from '../test/support/kafka-mock-cluster';
import { TEST_POSTGRES_URL } from '../test/support/postgres';
import { TEST_MANAGEMENT, TEST_WEBHOOKS } from '../test/support/test-modules';
import type { Benchmark } from './benchmarks';

const EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? 20_000);
const BATCH = 500;

function sampleEvent(i: number): CataloguedEventInput {
  return {
    type: 'call.requested',
    subject: `call-${i % 1_000}`,
    data: {
      callId: `call-${i % 1_000}`,
      correlationId: `corr-${i}`,
      mode: 'connect',
      from: '+919876543210',
      to: '+919812345678',
      callerId: '08047491899',
      purpose: 'transactional',
    },
  };
}

/** Raw kafkajs: the same messages, the same batch size, acks -1. */
async function rawProducer(brokers: string[], topic: string): Promise<number> {
  const producer = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING }).producer({
    maxInFlightRequests: 1,
  });
  await producer.connect();
  const messages = Array.from({ length: EVENTS }, (_, i) =>
    toKafkaMessage({
      specversion: '1.0',
      id: randomBytes(13).toString('hex').slice(0, 26).toUpperCase(),
      source: 'urn:bench',
      type: 'call.requested',
      subject: `call-${i % 1_000}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      sequence: i + 1,
      data: sampleEvent(i).data,
    }),
  );
  const started = performance.now();
  for (let i = 0; i < messages.length; i += BATCH) {
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic, messages: messages.slice(i, i + BATCH) }],
    });
  }
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return EVENTS / seconds;
}

/** The outbox relay: events already committed in the outbox, drained to Kafka. */
async function relay(
  brokers: string[],
  prefix: string,
  database: DatabaseSettings,
  schema?: string,
): Promise<number> {
  @Module({
    imports: [
      TypeOrmModule.forRoot(databaseOptions(database, { schema })),
      ExotelModule.forRoot({
        credentials: { apiKey: 'bench', apiToken: 'bench', accountSid: 'bench' },
        management: TEST_MANAGEMENT,
        webhooks: TEST_WEBHOOKS,
        baseUrl: 'http://127.0.0.1:9',
        jobs: { enabled: false },
        events: {
          kafka: { brokers, topicPrefix: prefix },
          relay: { batchSize: BATCH, concurrency: Number(process.env.BENCH_RELAY_CONCURRENCY ?? 3) },
        },
      }),
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  try {
    const db = app.get(ExotelDatabase);
    const events = app.get(EventPublisher);
    for (let i = 0; i < EVENTS; i += BATCH) {
      await db.transaction((manager) =>
        events.publish(
          manager,
          Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, j) => sampleEvent(i + j)),
        ),
      );
    }
    const outbox = app.get(OutboxRelay);
    const started = performance.now();
    const delivered = await outbox.drain('kafka');
    const seconds = (performance.now() - started) / 1000;
    if (delivered !== EVENTS) throw new Error(`relay delivered ${delivered} of ${EVENTS}`);
    return EVENTS / seconds;
  } finally {
    await app.close();
  }
}

export const outboxRelayBenchmark: Benchmark = {
  name: 'outbox-relay',
  description: `outbox relay to Kafka vs a raw kafkajs producer, ${EVENTS} events, batches of ${BATCH}, acks -1`,
  async run() {
    const mock = process.env.KAFKA_BROKERS ? undefined : await startMockKafkaCluster();
    const brokers = process.env.KAFKA_BROKERS?.split(',') ?? [mock!.bootstrapServers];
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: TEST_POSTGRES_URL });
    try {
      const prefix = `bench${randomBytes(3).toString('hex')}`;
      // Warm the topic (auto-creation) so neither side pays for it.
      await rawProducer(brokers, `${prefix}.calls`);
      const raw = await rawProducer(brokers, `${prefix}.calls`);
      const sqlite = await relay(brokers, prefix, { type: 'sqlite', path: ':memory:' });
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const postgres = await relay(brokers, prefix, { type: 'postgres', url: TEST_POSTGRES_URL }, schema);
      const rows = [
        ['raw kafkajs producer (baseline)', raw],
        ['outbox relay, SQLite', sqlite],
        ['outbox relay, PostgreSQL', postgres],
      ] as const;
      for (const [name, rate] of rows) {
        process.stdout.write(
          `  ${name.padEnd(34)} ${Math.round(rate).toString().padStart(8)} events/s  (${((rate / raw) * 100).toFixed(0)}% of raw)\n`,
        );
      }
      process.stdout.write('  goal: relay >= 50% of raw and >= 5,000 events/s\n');
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await admin.end().catch(() => undefined);
      await mock?.stop();
    }
  },
};
