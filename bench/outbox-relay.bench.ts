import 'reflect-metadata';
import { ExotelModule, toKafkaMessage } from 'nestjs-exotel';
import {
  EventPublisher,
  ExotelDatabase,
  OutboxRelay,
  type CataloguedEventInput,
} from 'nestjs-exotel/internal';
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
import { quantile } from './support/quantile';

const EVENTS = Number(process.env.BENCH_RELAY_EVENTS ?? 20_000);
const BATCH = 500;
const ROUNDS = Number(process.env.BENCH_RELAY_ROUNDS ?? 5);
const SETTLE_MS = 500;

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

/** Raw kafkajs: the same messages, the same batch size, acks -1, on one connected producer. */
async function rawProducer(brokers: string[]): Promise<Harness> {
  const producer = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING }).producer({
    maxInFlightRequests: 1,
  });
  await producer.connect();
  return {
    async round(topicPrefix) {
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
          topicMessages: [{ topic: `${topicPrefix}.calls`, messages: messages.slice(i, i + BATCH) }],
        });
      }
      return EVENTS / ((performance.now() - started) / 1000);
    },
    close: () => producer.disconnect(),
  };
}

/** The outbox relay of one app: each round commits EVENTS events to the outbox, then drains them. */
async function relay(
  brokers: string[],
  prefix: string,
  database: DatabaseSettings,
  schema?: string,
): Promise<Harness> {
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
          // As the raw baseline (and librdkafka's mock cluster has no idempotent producer).
          kafka: { brokers, topicPrefix: prefix, idempotent: false },
          relay: { batchSize: BATCH, concurrency: Number(process.env.BENCH_RELAY_CONCURRENCY ?? 3) },
        },
      }),
    ],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const db = app.get(ExotelDatabase);
  const events = app.get(EventPublisher);
  const outbox = app.get(OutboxRelay);
  return {
    async round() {
      // PostgreSQL: start each round from a vacuumed outbox, as autovacuum (set by the migrations
      // to run every 10,000 changed rows) keeps it; otherwise each round would step over the dead
      // index entries of every round before it, which a running service never accumulates.
      if (schema)
        await db.read((manager) => manager.query(`VACUUM ANALYZE "${schema}"."exotel_outbox_events"`));
      for (let i = 0; i < EVENTS; i += BATCH) {
        await db.transaction((manager) =>
          events.publish(
            manager,
            Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, j) => sampleEvent(i + j)),
          ),
        );
      }
      const started = performance.now();
      const delivered = await outbox.drain('kafka');
      const seconds = (performance.now() - started) / 1000;
      if (delivered !== EVENTS) throw new Error(`relay delivered ${delivered} of ${EVENTS}`);
      return EVENTS / seconds;
    },
    close: () => app.close(),
  };
}

/** One side of the comparison, measured once per round. */
interface Harness {
  /** Sends EVENTS events to `<topicPrefix>.calls`; resolves to events/s. */
  round(topicPrefix: string): Promise<number>;
  close(): Promise<void>;
}

const median = (values: readonly number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

export const outboxRelayBenchmark: Benchmark = {
  name: 'outbox-relay',
  description: `outbox relay to Kafka vs a raw kafkajs producer, ${EVENTS} events per round, ${ROUNDS} rounds, batches of ${BATCH}, acks -1`,
  async run() {
    const mock = process.env.KAFKA_BROKERS ? undefined : await startMockKafkaCluster();
    const brokers = process.env.KAFKA_BROKERS?.split(',') ?? [mock!.bootstrapServers];
    const schema = `bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: TEST_POSTGRES_URL });
    const harnesses: Harness[] = [];
    try {
      const prefix = `bench${randomBytes(3).toString('hex')}`;
      await admin.connect();
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const sides = [
        ['raw kafkajs producer (baseline)', await rawProducer(brokers)],
        ['outbox relay, SQLite', await relay(brokers, prefix, { type: 'sqlite', path: ':memory:' })],
        [
          'outbox relay, PostgreSQL',
          await relay(brokers, prefix, { type: 'postgres', url: TEST_POSTGRES_URL }, schema),
        ],
      ] as const;
      harnesses.push(...sides.map(([, harness]) => harness));
      // Warm the topic (auto-creation) and every code path so no side pays for it in a round.
      for (const [, harness] of sides) await harness.round(prefix);
      // Rounds take turns, so a burst of load from elsewhere (this machine shares its cores) hurts
      // one round, not one side; each round's relay figure is compared with that round's raw one.
      // Each round starts with a different side, and each side after a pause, so that no side
      // always follows the background work (WAL writing, vacuum) another one left behind.
      const rates = sides.map(() => [] as number[]);
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < sides.length; k++) {
          const i = (round + k) % sides.length;
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          rates[i][round] = await sides[i][1].round(prefix);
        }
      }
      for (const [i, [name]] of sides.entries()) {
        const ratios = rates[i].map((rate, round) => rate / rates[0][round]);
        process.stdout.write(
          `  ${name.padEnd(34)} ${Math.round(median(rates[i])).toString().padStart(8)} events/s  ` +
            `(median ${(median(ratios) * 100).toFixed(0)}% of raw; rounds: ${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(' ')})\n`,
        );
      }
      process.stdout.write('  goal: relay >= 50% of raw and >= 5,000 events/s\n');
    } finally {
      for (const harness of harnesses) await harness.close().catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await admin.end().catch(() => undefined);
      await mock?.stop();
    }
  },
};
