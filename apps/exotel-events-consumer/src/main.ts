import { NestFactory } from '@nestjs/core';
import { ConsumerAppModule } from './consumer-app.module';

/**
 * Example consumer (`npm run start:consumer`): KAFKA_BROKERS (required), KAFKA_TOPIC_PREFIX
 * (default exotel), CONSUMER_GROUP_ID (default exotel-operations-feed).
 */
async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) {
    process.stderr.write(
      'KAFKA_BROKERS is missing. Fix: set it to the brokers the exotel-service publishes to, e.g. localhost:9092\n',
    );
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(
    ConsumerAppModule.forRoot({
      brokers,
      // Unset: the consumer module's default prefix, the publisher's default too.
      topicPrefix: process.env.KAFKA_TOPIC_PREFIX || undefined,
      groupId: process.env.CONSUMER_GROUP_ID ?? 'exotel-operations-feed',
    }),
  );
  app.enableShutdownHooks();
}

void main();
