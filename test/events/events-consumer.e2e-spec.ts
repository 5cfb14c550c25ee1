import {
  ExotelEventsConsumer,
  ExotelEventsConsumerModule,
  OnExotelEvent,
  ExotelModule,
  toKafkaMessage,
  type ExotelEventOf,
} from 'nestjs-exotel';
import { EventPublisher, ExotelDatabase, OutboxRelay } from 'nestjs-exotel/internal';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Kafka, logLevel } from 'kafkajs';
import { compileExotel } from '../support/exotel-test-module';
import { testKafkaBrokers, uniqueTopicPrefix } from '../support/kafka';
import { callOutcomeUnknown, callRequested } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, TEST_WEBHOOKS, typeOrmFor } from '../support/test-modules';

@Injectable()
class CrmSync {
  readonly requested: ExotelEventOf<'call.requested'>[] = [];
  readonly unknown: string[] = [];

  @OnExotelEvent('call.requested')
  onRequested(event: ExotelEventOf<'call.requested'>): void {
    this.requested.push(event);
  }

  @OnExotelEvent('call.outcome_unknown')
  onUnknown(event: ExotelEventOf<'call.outcome_unknown'>): void {
    this.unknown.push(event.data.reason);
  }
}

async function until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Another service, with no Exotel credentials, reacting to the events the publisher put on Kafka.
describe('ExotelEventsConsumerModule', () => {
  let database: TestDatabase;
  let publisher: TestingModule;
  let consumer: TestingModule;
  let prefix: string;

  beforeEach(async () => {
    prefix = uniqueTopicPrefix();
    database = await createTestDatabase();
    publisher = await compileExotel(database, {
      events: { kafka: { brokers: testKafkaBrokers(), topicPrefix: prefix, idempotent: false } },
    });
    consumer = await Test.createTestingModule({
      imports: [
        ExotelEventsConsumerModule.forRootAsync({
          useFactory: () => ({
            kafka: { brokers: testKafkaBrokers() },
            groupId: `crm-${prefix}`,
            topicPrefix: prefix,
            fromBeginning: true,
          }),
        }),
      ],
      providers: [CrmSync],
    }).compile();
    await consumer.init();
  });

  afterEach(async () => {
    await consumer.close();
    await publisher.close();
    await database.drop();
  });

  it('delivers typed events to @OnExotelEvent methods once per event id, skipping foreign messages', async () => {
    const [requested] = await publisher
      .get(ExotelDatabase)
      .transaction((manager) =>
        publisher
          .get(EventPublisher)
          .publish(manager, [callRequested('call-1', 5), callOutcomeUnknown('call-1', 'timeout')]),
      );
    await publisher.get(OutboxRelay).drain('kafka');

    // A redelivery of the same event, and a message that is not a CloudEvent at all.
    const kafka = new Kafka({ clientId: 'test', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: `${prefix}.calls`,
      messages: [toKafkaMessage(requested), { key: 'x', value: 'not an event' }],
    });
    await producer.disconnect();

    const sync = consumer.get(CrmSync);
    const counts = consumer.get(ExotelEventsConsumer).counts;
    await until(() => counts.received >= 4);
    expect(consumer.get(ExotelEventsConsumer).topics).toEqual([`${prefix}.calls`]);
    expect(sync.requested).toHaveLength(1);
    expect(sync.requested[0]).toMatchObject({
      id: requested.id,
      subject: 'call-1',
      sequence: 1,
      data: { correlationId: 'corr-5' },
    });
    expect(sync.unknown).toEqual(['timeout']);
    expect(counts).toEqual({ received: 4, delivered: 2, duplicates: 1, invalid: 1, local: 0 });
  });
});

// A service that places calls itself (ExotelModule) and also consumes another publisher's topics.
describe('ExotelEventsConsumerModule beside ExotelModule', () => {
  let foreignDb: TestDatabase;
  let hostDb: TestDatabase;
  let foreign: TestingModule;
  let host: TestingModule;
  let prefix: string;

  beforeEach(async () => {
    prefix = uniqueTopicPrefix();
    foreignDb = await createTestDatabase();
    hostDb = await createTestDatabase();
    const kafka = { brokers: testKafkaBrokers(), topicPrefix: prefix, idempotent: false };
    foreign = await compileExotel(foreignDb, { events: { kafka } });
    host = await Test.createTestingModule({
      imports: [
        typeOrmFor(hostDb),
        ExotelModule.forRoot({
          credentials: TEST_CREDENTIALS,
          baseUrl: 'http://127.0.0.1:9',
          jobs: { enabled: false },
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
          events: { kafka },
        }),
        ExotelEventsConsumerModule.forRoot({
          kafka: { brokers: testKafkaBrokers() },
          groupId: `host-${prefix}`,
          topicPrefix: prefix,
          fromBeginning: true,
        }),
      ],
      providers: [CrmSync],
    }).compile();
    await host.init();
  });

  afterEach(async () => {
    await host.close();
    await foreign.close();
    await hostDb.drop();
    await foreignDb.drop();
  });

  it('runs each host handler once per event, its own events in-process and the others from Kafka', async () => {
    const publish = (app: TestingModule, event: ReturnType<typeof callRequested>) =>
      app.get(ExotelDatabase).transaction((manager) => app.get(EventPublisher).publish(manager, [event]));
    const [own] = await publish(host, callRequested('call-own', 1));
    const [theirs] = await publish(foreign, callRequested('call-theirs', 2));
    await host.get(OutboxRelay).drain();
    await foreign.get(OutboxRelay).drain('kafka');

    const sync = host.get(CrmSync);
    const consumer = host.get(ExotelEventsConsumer);
    // Received from Kafka, then handed to the handler: both, for both events (the first is a local
    // one, so the consumer's handler call may come after its receipt is counted).
    await until(() => consumer.counts.received >= 2 && sync.requested.length >= 2);
    // The library's own handlers (incidents fed by health events) are not the consumer's to run.
    expect(consumer.topics).toEqual([`${prefix}.calls`]);
    expect(sync.requested.map((e) => e.id).sort()).toEqual([own.id, theirs.id].sort());
    expect(consumer.counts).toMatchObject({ received: 2, delivered: 1, local: 1 });
  });
});

describe('ExotelEventsConsumerModule options', () => {
  it('refuses bad options at boot with every problem listed', async () => {
    const error = await Test.createTestingModule({
      imports: [ExotelEventsConsumerModule.forRoot({ kafka: { brokers: ['no-port'] }, groupId: '' })],
    })
      .compile()
      .catch((e: unknown) => e);
    expect((error as { problems: { path: string }[] }).problems.map((p) => p.path).sort()).toEqual([
      'groupId',
      'kafka.brokers.0',
    ]);
  });
});

// Kafka delivers at least once: the consumer drops what it already handled, by ce_id, remembering
// the last `dedupeCapacity` ids only (a least-recently-used set: memory stays bounded).
describe('ExotelEventsConsumerModule dedupe of redeliveries', () => {
  let database: TestDatabase;
  let publisher: TestingModule;
  let consumer: TestingModule;

  afterEach(async () => {
    await consumer.close();
    await publisher.close();
    await database.drop();
  });

  it('hands a redelivered event to handlers once, and forgets ids beyond its capacity', async () => {
    const prefix = uniqueTopicPrefix();
    database = await createTestDatabase();
    publisher = await compileExotel(database);
    // One subject, hence one key and one partition: the consumer reads them in this order.
    const [a, b, c] = await publisher
      .get(ExotelDatabase)
      .transaction((manager) =>
        publisher
          .get(EventPublisher)
          .publish(manager, [
            callRequested('call-1', 1),
            callRequested('call-1', 2),
            callRequested('call-1', 3),
          ]),
      );
    const kafka = new Kafka({ clientId: 'test', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    // a twice in a row (a retried send), then b and c push a out of a memory of two ids.
    await producer.send({
      topic: `${prefix}.calls`,
      messages: [a, a, b, c, a].map((event) => toKafkaMessage(event)),
    });
    await producer.disconnect();

    consumer = await Test.createTestingModule({
      imports: [
        ExotelEventsConsumerModule.forRoot({
          kafka: { brokers: testKafkaBrokers() },
          groupId: `dedupe-${prefix}`,
          topicPrefix: prefix,
          fromBeginning: true,
          dedupeCapacity: 2,
        }),
      ],
      providers: [CrmSync],
    }).compile();
    await consumer.init();

    const counts = consumer.get(ExotelEventsConsumer).counts;
    await until(() => counts.received >= 5);
    expect(consumer.get(CrmSync).requested.map((event) => event.id)).toEqual([a.id, b.id, c.id, a.id]);
    expect(counts).toMatchObject({ received: 5, delivered: 4, duplicates: 1 });
  });
});
