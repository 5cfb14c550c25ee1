import { OnExotelEvent, OutboxHealthIndicator, type ExotelEvent } from 'nestjs-exotel';
import { EventPublisher, ExotelDatabase, OutboxRelay } from 'nestjs-exotel/internal';
import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { compileExotel } from '../support/exotel-test-module';
import { TopicReader, uniqueTopicPrefix } from '../support/kafka';
import { startMockKafkaCluster, type MockKafkaCluster } from '../support/kafka-mock-cluster';
import { callRequested } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { until } from '../support/until';

@Injectable()
class Received {
  readonly events: ExotelEvent[] = [];

  @OnExotelEvent('*')
  on(event: ExotelEvent): void {
    this.events.push(event);
  }
}

/** The `outbox` readiness detail, typed for the assertions. */
interface OutboxDetail {
  status: string;
  kafkaConnection: string;
  kafka: { pending: number; failingPasses: number; stalled: boolean; oldestSendInFlightSeconds: number };
}

// A frozen broker (SIGSTOP) keeps its connections open and answers nothing, as a partitioned one
// does. This suite freezes a mock cluster of its own, so the other suites' cluster keeps running.
// Hang guard well above the waits (not a time goal).
jest.setTimeout(180_000);

describe('outbox relay with the Kafka broker frozen (black hole)', () => {
  let cluster: MockKafkaCluster;
  let database: TestDatabase;
  let moduleRef: TestingModule | undefined;
  let reader: TopicReader | undefined;
  let prefix: string;

  const freeze = () => process.kill(cluster.pid, 'SIGSTOP');
  const resume = () => process.kill(cluster.pid, 'SIGCONT');

  beforeAll(async () => {
    cluster = await startMockKafkaCluster();
  });

  afterAll(async () => {
    resume();
    await cluster.stop();
  });

  afterEach(async () => {
    await reader?.stop();
    await moduleRef?.close();
    await database.drop();
    reader = undefined;
    moduleRef = undefined;
  });

  async function boot({ jobs = true, stallAfterMs }: { jobs?: boolean; stallAfterMs?: number }) {
    prefix = uniqueTopicPrefix();
    database = await createTestDatabase();
    moduleRef = await compileExotel(
      database,
      {
        jobs: { enabled: jobs },
        events: {
          kafka: {
            brokers: [cluster.bootstrapServers],
            topicPrefix: prefix,
            idempotent: false,
            connectionTimeoutMs: 1_000,
            // Far longer than the waits below: the send stays in flight while the broker is frozen.
            requestTimeoutMs: 120_000,
            stallAfterMs,
          },
          relay: { batchSize: 5, maxBackoffMs: 500 },
        },
      },
      [Received],
    );
    return moduleRef;
  }

  const publish = async (app: TestingModule, from: number, to: number): Promise<string[]> => {
    const events = await app.get(ExotelDatabase).transaction((manager) =>
      app.get(EventPublisher).publish(
        manager,
        Array.from({ length: to - from }, (_, i) => callRequested(`call-${(from + i) % 4}`, from + i)),
      ),
    );
    return events.map((event) => event.id);
  };
  const outbox = async (app: TestingModule) =>
    (await app.get(OutboxHealthIndicator).check()).outbox as unknown as OutboxDetail;

  it('keeps in-process handlers fed while a Kafka send hangs, and publishes every row once the broker answers', async () => {
    // The relays are driven by hand here, so that the Kafka one claims first, as it does whenever
    // its pass starts before the in-process one.
    const app = await boot({ jobs: false });
    const relay = app.get(OutboxRelay);
    const ids = await publish(app, 0, 5);
    expect(await relay.drain('kafka')).toBe(5);
    expect(await relay.drain('inProcess')).toBe(5);

    freeze();
    let kafkaDrain: Promise<number | Error>;
    try {
      ids.push(...(await publish(app, 5, 20)));
      // The Kafka relay claims the new events and sends them to a broker that will not answer...
      kafkaDrain = relay.drain('kafka').catch((error: Error) => error);
      await until(async () => (await outbox(app)).kafka.oldestSendInFlightSeconds > 0);
      // ...and in-process handlers still get every one of them, in order.
      expect(await relay.drain('inProcess')).toBe(15);
      expect(app.get(Received).events.map((event) => event.id)).toEqual(ids);
      // All this while the broker was still frozen: Kafka acknowledged none of the new events.
      const frozen = await outbox(app);
      expect(frozen.kafka.pending).toBe(15);
      expect(frozen.kafka.oldestSendInFlightSeconds).toBeGreaterThan(0);
    } finally {
      resume();
    }

    // Once the broker answers, the hung send completes and every row reaches Kafka.
    expect(await kafkaDrain).toBe(15);
    expect((await outbox(app)).kafka.pending).toBe(0);
    reader = await new TopicReader([`${prefix}.calls`], [cluster.bootstrapServers]).start();
    await reader.waitFor((messages) => new Set(messages.map((m) => m.headers!.ce_id!.toString())).size >= 20);
    const onKafka = new Set(reader.messages.map((m) => m.headers!.ce_id!.toString()));
    expect([...onKafka].sort()).toEqual([...ids].sort());
  });

  it('reports Kafka stalled on readiness while the broker is frozen, and up again once sends succeed', async () => {
    const app = await boot({ stallAfterMs: 300 });
    await publish(app, 0, 3);
    await until(async () => (await outbox(app)).kafka.pending === 0, 60_000);
    await until(async () => (await outbox(app)).status === 'up', 60_000);

    freeze();
    let frozen: OutboxDetail;
    try {
      await publish(app, 3, 6);
      frozen = await until(async () => {
        const detail = await outbox(app);
        return detail.kafka.stalled ? detail : undefined;
      }, 60_000);
    } finally {
      resume();
    }
    // Read from the relay's progress: the connection itself still looked fine.
    expect(frozen).toMatchObject({
      status: 'degraded',
      kafkaConnection: 'connected',
      kafka: { stalled: true },
    });

    const recovered = await until(async () => {
      const detail = await outbox(app);
      return detail.status === 'up' && detail.kafka.pending === 0 ? detail : undefined;
    }, 60_000);
    expect(recovered.kafka).toMatchObject({ pending: 0, failingPasses: 0, stalled: false });
  });
});
