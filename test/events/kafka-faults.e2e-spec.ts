import { EventPublisher, ExotelDatabase, OutboxEventEntity, OutboxRelay } from 'nestjs-exotel/internal';
import type { TestingModule } from '@nestjs/testing';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { IsNull } from 'typeorm';
import { compileExotel } from '../support/exotel-test-module';
import { SwitchableNetwork, testKafkaBrokers, TopicReader, uniqueTopicPrefix } from '../support/kafka';
import { callRequested } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_POSTGRES_URL } from '../support/postgres';

/** Every id published, every id read, and how often each was read. */
function tally(published: Set<string>, reader: TopicReader) {
  const counts = new Map<string, number>();
  for (const message of reader.messages) {
    const id = message.headers!.ce_id!.toString();
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const lost = [...published].filter((id) => !counts.has(id));
  const strangers = [...counts.keys()].filter((id) => !published.has(id));
  return { lost, strangers, duplicates: reader.messages.length - counts.size };
}

// Child processes, broker restarts and 60 s waits: a hang guard well above them (not a time goal).
jest.setTimeout(180_000);

describe('Kafka delivery under faults', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule | undefined;
  let reader: TopicReader | undefined;
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await reader?.stop();
    await moduleRef?.close();
    await database.drop();
    reader = undefined;
    moduleRef = undefined;
  });

  it('loses nothing when the broker is unreachable for a while and comes back', async () => {
    database = await createTestDatabase();
    const prefix = uniqueTopicPrefix();
    const network = new SwitchableNetwork();
    moduleRef = await compileExotel(database, {
      jobs: { enabled: true },
      events: {
        kafka: {
          brokers: testKafkaBrokers(),
          topicPrefix: prefix,
          idempotent: false,
          socketFactory: network.socketFactory,
          connectionTimeoutMs: 500,
          requestTimeoutMs: 2_000,
        },
        relay: { batchSize: 20, maxBackoffMs: 400 },
      },
    });
    const db = moduleRef.get(ExotelDatabase);
    const events = moduleRef.get(EventPublisher);
    const published = new Set<string>();
    const publish = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const [event] = await db.transaction((manager) =>
          events.publish(manager, callRequested(`call-${i % 17}`, i)),
        );
        published.add(event.id);
      }
    };

    await publish(0, 100);
    network.cut();
    await publish(100, 250);
    // Events pile up in the outbox while the broker is away.
    const waiting = await db.read((m) => m.countBy(OutboxEventEntity, { publishedAt: IsNull() }));
    expect(waiting).toBeGreaterThan(0);
    network.restore();
    await publish(250, 300);

    reader = await new TopicReader([`${prefix}.calls`]).start();
    await reader.waitFor(() => tally(published, reader!).lost.length === 0, 30_000);
    const result = tally(published, reader);
    expect(result.lost).toEqual([]);
    expect(result.strangers).toEqual([]);
    // At-least-once: a batch Kafka took but the relay could not mark may come again, with the same id.
    expect(result.duplicates).toBeGreaterThanOrEqual(0);
    expect(await db.read((m) => m.countBy(OutboxEventEntity, { publishedAt: IsNull() }))).toBe(0);
  });

  it('loses nothing when the relay process is killed mid-batch and restarted', async () => {
    database = await createTestDatabase('postgres');
    const prefix = uniqueTopicPrefix();
    // This process only writes events; the relay runs in a child process we can kill.
    moduleRef = await compileExotel(database);
    const db = moduleRef.get(ExotelDatabase);
    const events = moduleRef.get(EventPublisher);
    const published = new Set<string>();
    for (let round = 0; round < 60; round++) {
      const batch = await db.transaction((manager) =>
        events.publish(
          manager,
          Array.from({ length: 25 }, (_, i) =>
            callRequested(`call-${(round * 25 + i) % 23}`, round * 25 + i),
          ),
        ),
      );
      for (const event of batch) published.add(event.id);
    }
    reader = await new TopicReader([`${prefix}.calls`]).start();

    const startRelay = () =>
      new Promise<ChildProcess>((resolve, reject) => {
        const child = fork(join(__dirname, 'support/relay-worker.ts'), [], {
          execArgv: ['-r', join(__dirname, '../support/ts-register.js')],
          env: {
            ...process.env,
            WORKER_DATABASE_URL: TEST_POSTGRES_URL,
            WORKER_SCHEMA: database.isolation.schema!,
            WORKER_KAFKA_BROKERS: testKafkaBrokers().join(','),
            WORKER_TOPIC_PREFIX: prefix,
            WORKER_BATCH_SIZE: '25',
          },
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        });
        children.push(child);
        child.once('message', () => resolve(child));
        child.once('error', reject);
        child.once('exit', (code) => reject(new Error(`relay worker exited early (${code})`)));
      });

    const first = await startRelay();
    await reader.waitFor((messages) => messages.length >= 300, 30_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const seenAtKill = reader.messages.length;
    expect(seenAtKill).toBeLessThan(published.size);

    const second = await startRelay();
    try {
      await reader.waitFor(() => tally(published, reader!).lost.length === 0, 60_000);
      // The worker's in-process loop runs beside its Kafka loop: let it finish before the kill.
      const undispatched = () => db.read((m) => m.countBy(OutboxEventEntity, { dispatchedAt: IsNull() }));
      for (let waited = 0; (await undispatched()) > 0 && waited < 60_000; waited += 100)
        await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      second.kill('SIGKILL');
    }
    const result = tally(published, reader);
    expect(result.lost).toEqual([]);
    expect(result.strangers).toEqual([]);
    // Within a subject, first deliveries stay in sequence order across the crash.
    const firstSeen = new Map<string, number[]>();
    const ids = new Set<string>();
    for (const message of reader.messages) {
      const id = message.headers!.ce_id!.toString();
      if (ids.has(id)) continue;
      ids.add(id);
      const subject = message.key!.toString();
      firstSeen.set(subject, [
        ...(firstSeen.get(subject) ?? []),
        Number(message.headers!.ce_sequence!.toString()),
      ]);
    }
    for (const sequences of firstSeen.values())
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(await moduleRef.get(OutboxRelay).drain('inProcess')).toBe(0);
  });
});
