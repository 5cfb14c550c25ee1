import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { IsNull, Not } from 'typeorm';
import { callOutcomeUnknown, callRequested } from '../../../../test/support/sample-events';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import {
  TEST_CREDENTIALS,
  TEST_MANAGEMENT,
  TEST_WEBHOOKS,
  typeOrmFor,
} from '../../../../test/support/test-modules';
import { ExotelModule } from '../exotel.module';
import { ExotelClock, ManualClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import type { ExotelEventOf } from './event-catalogue';
import { EventPublisher } from './event-publisher';
import type { ExotelEvent } from './exotel-event';
import { OnExotelEvent } from './on-exotel-event.decorator';
import { EventSequenceEntity } from './event-sequence.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { OutboxHealthIndicator } from './outbox-health.indicator';
import { OutboxPruner } from './outbox-pruner';
import { OutboxRelay } from './outbox-relay';

@Injectable()
class Recorder {
  readonly requested: ExotelEventOf<'call.requested'>[] = [];
  readonly everything: string[] = [];

  @OnExotelEvent('call.requested')
  onRequested(event: ExotelEventOf<'call.requested'>): void {
    this.requested.push(event);
  }

  @OnExotelEvent('*')
  onAny(event: ExotelEvent): void {
    this.everything.push(`${event.type}:${event.subject}`);
  }
}

@Injectable()
class Flaky {
  attempts = 0;

  @OnExotelEvent('call.outcome_unknown')
  failTwice(): void {
    this.attempts++;
    if (this.attempts <= 2) throw new Error(`transient failure ${this.attempts}`);
  }
}

@Injectable()
class Broken {
  calls = 0;

  @OnExotelEvent('call.requested')
  fail(): never {
    this.calls++;
    throw new Error('handler bug');
  }
}

describe('transactional outbox (in-process delivery)', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let db: ExotelDatabase;
  let events: EventPublisher;
  let relay: OutboxRelay;
  let recorder: Recorder;
  const clock = new ManualClock('2026-11-23T10:00:00Z');

  beforeEach(async () => {
    database = await createTestDatabase();
    moduleRef = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: TEST_CREDENTIALS,
          baseUrl: 'http://127.0.0.1:9',
          jobs: { enabled: false },
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
          events: {
            handlers: { maxAttempts: 3, retryDelayMs: 5 },
            retentionHours: 24,
            lagWarningSeconds: 30,
          },
        }),
      ],
      providers: [Recorder, Flaky, Broken],
    })
      .overrideProvider(ExotelClock)
      .useValue(clock)
      .compile();
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

  it('delivers committed events in order, numbered per aggregate, in a CloudEvents envelope', async () => {
    await db.transaction((manager) =>
      events.publish(manager, [
        callRequested('call-1', 1),
        callRequested('call-2', 2),
        callOutcomeUnknown('call-1'),
      ]),
    );
    expect(await relay.drain()).toBe(3);
    expect(recorder.everything).toEqual([
      'call.requested:call-1',
      'call.requested:call-2',
      'call.outcome_unknown:call-1',
    ]);
    const [first] = recorder.requested;
    expect(first).toMatchObject({
      specversion: '1.0',
      source: 'urn:nestjs-exotel',
      type: 'call.requested',
      subject: 'call-1',
      sequence: 1,
      time: '2026-11-23T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { callId: 'call-1', correlationId: 'corr-1' },
    });
    expect(first.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const rows = await db.read((m) => m.find(OutboxEventEntity, { order: { position: 'ASC' } }));
    expect(rows.map((r) => [r.subject, r.sequence])).toEqual([
      ['call-1', 1],
      ['call-2', 1],
      ['call-1', 2],
    ]);
    expect(await relay.drain()).toBe(0);
  });

  it('numbers a large batch per aggregate in input order, as the envelopes it returns say', async () => {
    // Over 25,000 rows: PostgreSQL writes them in more than one statement.
    const subjects = ['big-a', 'big-b', 'big-c'];
    const inputs = Array.from({ length: 25_004 }, (_, i) =>
      i % 7 === 0 ? callOutcomeUnknown(subjects[i % 3]) : callRequested(subjects[i % 3], i),
    );
    await db.transaction((manager) => events.publish(manager, callRequested('big-a', -1)));
    const envelopes = await db.transaction((manager) => events.publish(manager, inputs));
    const rows = await db.read((m) =>
      m.find(OutboxEventEntity, {
        select: { id: true, subject: true, sequence: true },
        order: { position: 'ASC' },
      }),
    );
    expect(rows.map((r) => r.id)).toEqual([rows[0].id, ...envelopes.map((e) => e.id)]);
    expect(rows.slice(1).map((r) => r.sequence)).toEqual(envelopes.map((e) => e.sequence));
    const counted = new Map<string, number>([['big-a', 1]]);
    const expected = inputs.map((input) => {
      const next = (counted.get(input.subject) ?? 0) + 1;
      counted.set(input.subject, next);
      return [input.subject, next];
    });
    expect(envelopes.map((e) => [e.subject, e.sequence])).toEqual(expected);
  });

  it('writes rows with their events together, or neither when the rows are refused', async () => {
    const row = (aggregate: string) =>
      Object.assign(new EventSequenceEntity(), { aggregate, lastSequence: 0 });
    const written = await events.insertAndPublish(
      db,
      { entity: EventSequenceEntity, rows: [row('other:1')] },
      [callRequested('call-7')],
    );
    expect(written.map((e) => [e.subject, e.sequence])).toEqual([['call-7', 1]]);
    await expect(
      events.insertAndPublish(db, { entity: EventSequenceEntity, rows: [row('other:2'), row('other:1')] }, [
        callRequested('call-8'),
      ]),
    ).rejects.toThrow();
    expect(await db.read((m) => m.find(EventSequenceEntity, { order: { aggregate: 'ASC' } }))).toEqual([
      { aggregate: 'calls:call-7', lastSequence: 1 },
      { aggregate: 'other:1', lastSequence: 0 },
    ]);
    expect(await relay.drain()).toBe(1);
    expect(recorder.everything).toEqual(['call.requested:call-7']);
  });

  it('never delivers events of a transaction that rolled back', async () => {
    await expect(
      db.transaction(async (manager) => {
        await events.publish(manager, callRequested('call-9'));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await relay.drain()).toBe(0);
    expect(await db.read((m) => m.count(OutboxEventEntity))).toBe(0);
    expect(recorder.everything).toEqual([]);
  });

  it('retries a failing handler, and never lets a broken one hold back the others', async () => {
    await db.transaction((manager) =>
      events.publish(manager, [callRequested('call-3'), callOutcomeUnknown('call-3')]),
    );
    await relay.drain();
    expect(moduleRef.get(Flaky).attempts).toBe(3);
    expect(moduleRef.get(Broken).calls).toBe(3);
    expect(recorder.everything).toEqual(['call.requested:call-3', 'call.outcome_unknown:call-3']);
    expect(await db.read((m) => m.countBy(OutboxEventEntity, { dispatchedAt: Not(IsNull()) }))).toBe(2);
  });

  it('refuses data that does not match the catalogue, rolling the transaction back', async () => {
    const bad = { type: 'call.requested', subject: 'x', data: { callId: 'x' } } as unknown as ReturnType<
      typeof callRequested
    >;
    await expect(db.transaction((manager) => events.publish(manager, bad))).rejects.toThrow(
      /call\.requested for x does not match its schema: correlationId/,
    );
    const unknownType = { type: 'weird.thing', subject: 'x', data: {} } as unknown as ReturnType<
      typeof callRequested
    >;
    await expect(db.transaction((manager) => events.publish(manager, unknownType))).rejects.toThrow(
      'not in the event catalogue',
    );
    expect(await db.read((m) => m.count(OutboxEventEntity))).toBe(0);
  });

  it('serializes overlapping transactions so each commits whole and sequences follow commits', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (manager) => {
          await events.publish(manager, callRequested('shared', i));
          await new Promise((resolve) => setTimeout(resolve, 2));
          await events.publish(manager, callOutcomeUnknown('shared', `reason-${i}`));
        }),
      ),
    );
    const rows = await db.read((m) => m.find(OutboxEventEntity, { order: { sequence: 'ASC' } }));
    expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (let i = 0; i < rows.length; i += 2) {
      expect(`reason-${(rows[i].data as { correlationId: string }).correlationId.slice(5)}`).toBe(
        (rows[i + 1].data as { reason: string }).reason,
      );
    }
  });

  it('prunes delivered events only after the retention, never undelivered ones', async () => {
    await db.transaction((manager) =>
      events.publish(manager, [callRequested('old-1'), callRequested('old-2')]),
    );
    await relay.drain();
    await db.transaction((manager) => events.publish(manager, callRequested('pending')));
    const pruner = moduleRef.get(OutboxPruner);
    expect(await pruner.prune()).toBe(0);
    clock.advance(25 * 3_600_000);
    expect(await pruner.prune()).toBe(2);
    const left = await db.read((m) => m.find(OutboxEventEntity));
    expect(left.map((r) => r.subject)).toEqual(['pending']);
  });

  it('reports outbox lag as degraded, never down', async () => {
    const health = moduleRef.get(OutboxHealthIndicator);
    await db.transaction((manager) => events.publish(manager, callRequested('lagging')));
    expect(await health.check()).toMatchObject({
      outbox: { status: 'up', kafkaConnection: 'disabled', inProcess: { pending: 1 } },
    });
    clock.advance(31_000);
    expect(await health.check()).toMatchObject({
      outbox: { status: 'degraded', inProcess: { pending: 1, oldestPendingSeconds: 31 } },
    });
    await relay.drain();
    expect(await health.check()).toMatchObject({
      outbox: { status: 'up', inProcess: { pending: 0, oldestPendingSeconds: 0 } },
    });
  });
});
