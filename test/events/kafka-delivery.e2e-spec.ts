import { OutboxHealthIndicator } from 'nestjs-exotel';
import { EventPublisher, ExotelDatabase, OutboxRelay } from 'nestjs-exotel/internal';
import type { TestingModule } from '@nestjs/testing';
import { spawn } from 'node:child_process';
import { compileExotel } from '../support/exotel-test-module';
import { testKafkaBrokers, TopicReader, uniqueTopicPrefix, SwitchableNetwork } from '../support/kafka';
import { callOutcomeUnknown, callRequested } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

describe('outbox to Kafka (librdkafka mock cluster or KAFKA_BROKERS)', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let prefix: string;
  let reader: TopicReader | undefined;
  const network = new SwitchableNetwork();

  beforeEach(async () => {
    prefix = uniqueTopicPrefix();
    database = await createTestDatabase();
    network.restore();
    moduleRef = await compileExotel(database, {
      events: {
        kafka: {
          brokers: testKafkaBrokers(),
          topicPrefix: prefix,
          idempotent: false,
          socketFactory: network.socketFactory,
          connectionTimeoutMs: 1_000,
          requestTimeoutMs: 3_000,
        },
        relay: { batchSize: 50 },
      },
    });
  });

  afterEach(async () => {
    await reader?.stop();
    reader = undefined;
    await moduleRef.close();
    await database.drop();
  });

  const publish = (inputs: Parameters<EventPublisher['publish']>[1]) =>
    moduleRef
      .get(ExotelDatabase)
      .transaction((manager) => moduleRef.get(EventPublisher).publish(manager, inputs));

  it('publishes committed events with CloudEvents headers, keyed by subject, and never a rolled-back one', async () => {
    await publish(callRequested('call-a', 1));
    await expect(
      moduleRef.get(ExotelDatabase).transaction(async (manager) => {
        await moduleRef.get(EventPublisher).publish(manager, callRequested('call-rolled-back'));
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await publish(callOutcomeUnknown('call-a'));
    expect(await moduleRef.get(OutboxRelay).drain('kafka')).toBe(2);

    reader = await new TopicReader([`${prefix}.calls`]).start();
    await reader.waitFor((m) => m.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reader.messages).toHaveLength(2);
    const [first] = reader.messages;
    expect(first.key?.toString()).toBe('call-a');
    const headers = Object.fromEntries(Object.entries(first.headers ?? {}).map(([k, v]) => [k, String(v)]));
    expect(headers).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'call.requested',
      ce_subject: 'call-a',
      ce_source: 'urn:nestjs-exotel',
      ce_sequence: '1',
      'content-type': 'application/json',
    });
    expect(JSON.parse(first.value!.toString())).toMatchObject({ callId: 'call-a', correlationId: 'corr-1' });
    expect(reader.messages.map((m) => m.key?.toString())).not.toContain('call-rolled-back');
  });

  it('keeps the events of one key in sequence order', async () => {
    const keys = ['k1', 'k2', 'k3'];
    for (let round = 0; round < 40; round++) {
      await publish(
        keys.map((key) =>
          round % 2 === 0 ? callRequested(key, round) : callOutcomeUnknown(key, `r${round}`),
        ),
      );
    }
    expect(await moduleRef.get(OutboxRelay).drain('kafka')).toBe(120);
    reader = await new TopicReader([`${prefix}.calls`]).start();
    await reader.waitFor((m) => m.length >= 120);
    for (const key of keys) {
      const sequences = reader.messages
        .filter((m) => m.key?.toString() === key)
        .map((m) => Number(m.headers!.ce_sequence!.toString()));
      expect(sequences).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    }
  });

  it('can be read by a consumer that is not ours: kcat sees ce_type and the JSON value', async () => {
    await publish(callRequested('call-kcat', 7));
    await moduleRef.get(OutboxRelay).drain('kafka');
    const output = await new Promise<string>((resolve, reject) => {
      const kcat = spawn('kcat', [
        '-b',
        testKafkaBrokers().join(','),
        '-C',
        '-t',
        `${prefix}.calls`,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-f',
        '%h\t%s\n',
      ]);
      let text = '';
      kcat.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      kcat.once('error', reject);
      kcat.once('exit', () => resolve(text));
    });
    const [headers, value] = output.trim().split('\t');
    expect(headers).toContain('ce_type=call.requested');
    expect(JSON.parse(value)).toMatchObject({ callId: 'call-kcat', correlationId: 'corr-7' });
  });

  it('keeps events in the outbox while Kafka is unreachable, stays ready (degraded), and delivers them all after', async () => {
    const relay = moduleRef.get(OutboxRelay);
    network.cut();
    await publish(Array.from({ length: 30 }, (_, i) => callRequested(`outage-${i % 5}`, i)));
    await expect(relay.drain('kafka')).rejects.toThrow(
      /Kafka did not acknowledge|ECONNREFUSED|network down|Connection/i,
    );
    expect(await moduleRef.get(OutboxHealthIndicator).check()).toMatchObject({
      outbox: {
        status: 'degraded',
        kafkaConnection: 'disconnected',
        kafka: { pending: 30, failingPasses: 1 },
      },
    });
    // In-process delivery does not wait for Kafka.
    expect(await relay.drain('inProcess')).toBe(30);

    network.restore();
    expect(await relay.drain('kafka')).toBe(30);
    expect(await moduleRef.get(OutboxHealthIndicator).check()).toMatchObject({
      outbox: { status: 'up', kafkaConnection: 'connected', kafka: { pending: 0, failingPasses: 0 } },
    });
    reader = await new TopicReader([`${prefix}.calls`]).start();
    await reader.waitFor((m) => m.length >= 30);
    expect(new Set(reader.messages.map((m) => m.headers!.ce_id!.toString())).size).toBe(30);
  });
});
