import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { IsNull, Not } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { TEST_CREDENTIALS, typeOrmFor } from '../../../../test/support/test-modules';
import { ExotelModule } from '../exotel.module';
import { ExotelDatabase } from '../persistence/exotel-database';
import { EventPublisher } from './event-publisher';
import type { ExotelEvent } from './exotel-event';
import { OnExotelEvent } from './on-exotel-event.decorator';
import { OutboxEventEntity } from './outbox-event.entity';
import { OutboxRelay } from './outbox-relay';

@Injectable()
class Recorder {
  readonly seen: ExotelEvent[] = [];
  readonly everything: string[] = [];

  @OnExotelEvent(['call.requested', 'call.initiated'])
  onCall(event: ExotelEvent): void {
    this.seen.push(event);
  }

  @OnExotelEvent('*')
  onAny(event: ExotelEvent): void {
    this.everything.push(event.type);
  }
}

@Injectable()
class Broken {
  @OnExotelEvent('call.requested')
  fail(): never {
    throw new Error('handler bug');
  }
}

describe('transactional outbox', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let db: ExotelDatabase;
  let events: EventPublisher;
  let relay: OutboxRelay;
  let recorder: Recorder;

  beforeEach(async () => {
    database = await createTestDatabase();
    moduleRef = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: TEST_CREDENTIALS,
          baseUrl: 'http://127.0.0.1:9',
          jobs: { enabled: false },
        }),
      ],
      providers: [Recorder, Broken],
    }).compile();
    await moduleRef.init();
    db = moduleRef.get(ExotelDatabase);
    events = moduleRef.get(EventPublisher);
    relay = moduleRef.get(OutboxRelay);
    recorder = moduleRef.get(Recorder);
  });

  afterEach(async () => {
    await moduleRef.close();
    await database.drop();
  });

  it('delivers committed events in order, numbered per aggregate, with a CloudEvents envelope', async () => {
    await db.transaction(async (manager) => {
      await events.publish(manager, [
        { type: 'call.requested', subject: 'call-1', data: { n: 1 } },
        { type: 'call.requested', subject: 'call-2', data: { n: 2 } },
        { type: 'call.initiated', subject: 'call-1', data: { n: 3 } },
      ]);
    });
    expect(await relay.drain()).toBe(3);
    expect(recorder.seen.map((e) => [e.subject, e.sequence, e.data])).toEqual([
      ['call-1', 1, { n: 1 }],
      ['call-2', 1, { n: 2 }],
      ['call-1', 2, { n: 3 }],
    ]);
    const [first] = recorder.seen;
    expect(first).toMatchObject({
      specversion: '1.0',
      source: 'urn:nestjs-exotel',
      type: 'call.requested',
      datacontenttype: 'application/json',
    });
    expect(first.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Date(first.time).toISOString()).toBe(first.time);
    expect(await relay.drain()).toBe(0);
  });

  it('never delivers events of a transaction that rolled back', async () => {
    await expect(
      db.transaction(async (manager) => {
        await events.publish(manager, { type: 'call.requested', subject: 'call-9', data: {} });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await relay.drain()).toBe(0);
    expect(await db.read((m) => m.count(OutboxEventEntity))).toBe(0);
    expect(recorder.seen).toEqual([]);
  });

  it('keeps delivering to other handlers when one handler throws', async () => {
    await db.transaction((manager) =>
      events.publish(manager, { type: 'call.requested', subject: 'call-3', data: {} }),
    );
    await relay.drain();
    expect(recorder.seen).toHaveLength(1);
    expect(recorder.everything).toEqual(['call.requested']);
    expect(await db.read((m) => m.countBy(OutboxEventEntity, { dispatchedAt: Not(IsNull()) }))).toBe(1);
  });

  it('serializes overlapping transactions so each one commits whole', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (manager) => {
          await events.publish(manager, { type: 'call.requested', subject: 'shared', data: { i } });
          await new Promise((resolve) => setTimeout(resolve, 2));
          await events.publish(manager, { type: 'call.initiated', subject: 'shared', data: { i } });
        }),
      ),
    );
    const rows = await db.read((m) => m.find(OutboxEventEntity, { order: { sequence: 'ASC' } }));
    expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each transaction's two events are adjacent: nothing interleaved inside a transaction.
    for (let i = 0; i < rows.length; i += 2) expect(rows[i].data).toEqual(rows[i + 1].data);
  });

  it('refuses event types outside the topic families', async () => {
    await expect(
      db.transaction((manager) => events.publish(manager, { type: 'weird.thing', subject: 'x', data: {} })),
    ).rejects.toThrow('belongs to no topic family');
  });
});
