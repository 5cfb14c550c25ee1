// One replica's outbox relay, alone in a process, until it is killed (the crash test).
import 'reflect-metadata';
import { ExotelModule } from 'nestjs-exotel';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseOptions } from '../../../apps/exotel-service/src/database/database-options';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, TEST_WEBHOOKS } from '../../support/test-modules';

const env = process.env as Record<string, string>;

@Module({
  imports: [
    TypeOrmModule.forRoot(
      databaseOptions({ type: 'postgres', url: env.WORKER_DATABASE_URL }, { schema: env.WORKER_SCHEMA }),
    ),
    ExotelModule.forRoot({
      credentials: TEST_CREDENTIALS,
      management: TEST_MANAGEMENT,
      webhooks: TEST_WEBHOOKS,
      baseUrl: 'http://127.0.0.1:9',
      jobs: { enabled: true },
      events: {
        kafka: {
          brokers: env.WORKER_KAFKA_BROKERS.split(','),
          topicPrefix: env.WORKER_TOPIC_PREFIX,
          idempotent: false,
        },
        // A short lease: the killed worker's claims lapse soon after the kill.
        relay: { batchSize: Number(env.WORKER_BATCH_SIZE ?? 25), maxBackoffMs: 500, leaseMs: 2_000 },
      },
    }),
  ],
})
class RelayWorkerModule {}

void NestFactory.createApplicationContext(RelayWorkerModule, { logger: false }).then(async (app) => {
  await app.init();
  process.send?.('ready');
});
