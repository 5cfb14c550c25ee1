import { EventPublisher, ExotelDatabase, OutboxRelay } from 'nestjs-exotel/internal';
import { Test, type TestingModule } from '@nestjs/testing';
import { ConsumerAppModule } from '../../apps/exotel-events-consumer/src/consumer-app.module';
import { OperationsFeedHandler } from '../../apps/exotel-events-consumer/src/operations-feed.handler';
import { compileExotel } from '../support/exotel-test-module';
import { testKafkaBrokers, uniqueTopicPrefix } from '../support/kafka';
import { callOutcomeUnknown } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('example consumer app (apps/exotel-events-consumer)', () => {
  let database: TestDatabase;
  let publisher: TestingModule;
  let consumer: TestingModule;

  afterEach(async () => {
    await consumer?.close();
    await publisher?.close();
    await database?.drop();
  });

  it('hears what the service publishes', async () => {
    const prefix = uniqueTopicPrefix();
    database = await createTestDatabase();
    publisher = await compileExotel(database, {
      events: { kafka: { brokers: testKafkaBrokers(), topicPrefix: prefix, idempotent: false } },
    });
    consumer = await Test.createTestingModule({
      imports: [
        ConsumerAppModule.forRoot({
          brokers: testKafkaBrokers(),
          topicPrefix: prefix,
          groupId: `ops-${prefix}`,
          fromBeginning: true,
        }),
      ],
    }).compile();
    await consumer.init();

    await publisher
      .get(ExotelDatabase)
      .transaction((m) => publisher.get(EventPublisher).publish(m, callOutcomeUnknown('call-42')));
    await publisher.get(OutboxRelay).drain('kafka');

    const feed = consumer.get(OperationsFeedHandler);
    const deadline = Date.now() + 20_000;
    while (!feed.handled.get('call.outcome_unknown') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(feed.handled.get('call.outcome_unknown')).toBe(1);
  });
});
