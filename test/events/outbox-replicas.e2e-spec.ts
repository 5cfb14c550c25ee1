import { OnExotelEvent, type ExotelEvent } from 'nestjs-exotel';
import {
  EventPublisher,
  ExotelDatabase,
  ManualClock,
  OutboxEventEntity,
  OutboxRelay,
} from 'nestjs-exotel/internal';
import { Inject, Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { compileExotel } from '../support/exotel-test-module';
import { callOutcomeUnknown, callRequested } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { until } from '../support/until';

const DELIVERY_LOG = 'DELIVERY_LOG';

@Injectable()
class Received {
  readonly events: ExotelEvent[] = [];

  constructor(@Inject(DELIVERY_LOG) private readonly log: ExotelEvent[]) {}

  @OnExotelEvent('*')
  async on(event: ExotelEvent): Promise<void> {
    // Yield so the two relays really interleave.
    await new Promise((resolve) => setImmediate(resolve));
    this.events.push(event);
    this.log.push(event);
  }
}

// Several replicas share one PostgreSQL: their relays claim rows (committed claims with an expiry,
// taken with FOR UPDATE SKIP LOCKED) and only deliver a subject from its first pending event, so
// work is shared without reordering.
describe('outbox relays of two replicas on one PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: TestingModule[];
  let log: ExotelEvent[];

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    replicas = [];
    log = [];
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await compileExotel(database, { events: { relay: { batchSize: 7 } } }, [
          Received,
          { provide: DELIVERY_LOG, useValue: log },
        ]),
      );
    }
  });

  afterEach(async () => {
    for (const replica of replicas) await replica.close();
    await database.drop();
  });

  it('deliver every event exactly once between them, each subject in sequence order', async () => {
    const [first] = replicas;
    const subjects = Array.from({ length: 40 }, (_, i) => `call-${i}`);
    await Promise.all(
      Array.from({ length: 5 }, (_, round) =>
        first.get(ExotelDatabase).transaction((manager) =>
          first.get(EventPublisher).publish(
            manager,
            subjects.map((s) => (round % 2 ? callOutcomeUnknown(s, `r${round}`) : callRequested(s, round))),
          ),
        ),
      ),
    );

    // Both relays drain at the same time, twice over, competing for the same rows.
    await Promise.all(
      [...replicas, ...replicas].map((replica) => replica.get(OutboxRelay).drain('inProcess')),
    );
    for (const replica of replicas) await replica.get(OutboxRelay).drain('inProcess');

    const delivered = replicas.flatMap((replica) => replica.get(Received).events);
    expect(delivered).toHaveLength(200);
    expect(new Set(delivered.map((e) => e.id)).size).toBe(200);
    // Both did share the work.
    expect(replicas.every((replica) => replica.get(Received).events.length > 0)).toBe(true);
    // Across both replicas, in the order handlers ran, every subject went 1, 2, 3, 4, 5.
    for (const subject of subjects) {
      expect(log.filter((e) => e.subject === subject).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
    }
  });
});

/** Holds every event until `release()`: a relay that stalls mid-delivery (or died there). */
@Injectable()
class Stuck {
  readonly events: ExotelEvent[] = [];
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  @OnExotelEvent('*')
  async on(event: ExotelEvent): Promise<void> {
    this.events.push(event);
    await this.gate;
  }

  release(): void {
    this.open();
  }
}

// Claims are committed before delivery, with an expiry a live relay keeps renewing: a relay that
// stalls holds no lock, and once it stops renewing (crashed, or its process froze) its events go to
// another relay when the claim lapses (delivered again: at least once).
describe('a stalled relay on PostgreSQL', () => {
  let database: TestDatabase;
  let stalled: TestingModule;
  let healthy: TestingModule;

  afterEach(async () => {
    stalled.get(Stuck).release();
    await stalled.close();
    await healthy.close();
    await database.drop();
  });

  async function start(relay: { leaseMs: number }, clock?: ManualClock) {
    database = await createTestDatabase('postgres');
    const events = { relay: { batchSize: 50, ...relay } };
    stalled = await compileExotel(database, { events }, [Stuck], clock);
    healthy = await compileExotel(
      database,
      { events },
      [Received, { provide: DELIVERY_LOG, useValue: [] }],
      clock,
    );
    await stalled.get(ExotelDatabase).transaction((manager) =>
      stalled.get(EventPublisher).publish(
        manager,
        Array.from({ length: 12 }, (_, i) => callRequested(`call-${i % 3}`, i)),
      ),
    );
    const stuckDrain = stalled.get(OutboxRelay).drain('inProcess');
    await until(async () => stalled.get(Stuck).events.length > 0);
    // Wrapped: an async function returning the promise would wait for it.
    return { stuckDrain };
  }

  const claimExpiries = () =>
    healthy
      .get(ExotelDatabase)
      .read((m) => m.find(OutboxEventEntity, { select: { dispatchClaimExpiresAt: true } }))
      .then((rows) => rows.map((row) => row.dispatchClaimExpiresAt?.getTime() ?? 0));

  it('keeps its claim while it lives, however long the delivery takes', async () => {
    const { stuckDrain } = await start({ leaseMs: 1_500 });
    // Renewed twice: the claim outlived its first expiry, and the other relay still may not take it.
    const [first] = await claimExpiries();
    await until(async () => (await claimExpiries())[0] > first, 30_000);
    const [second] = await claimExpiries();
    await until(async () => (await claimExpiries())[0] > second, 30_000);
    expect(await healthy.get(OutboxRelay).drain('inProcess')).toBe(0);

    stalled.get(Stuck).release();
    expect(await stuckDrain).toBe(12);
    expect(await healthy.get(OutboxRelay).drain('inProcess')).toBe(0);
    expect(healthy.get(Received).events).toEqual([]);
  });

  it('has its claim taken over once it stops renewing it, every subject still in order', async () => {
    const clock = new ManualClock('2026-06-01T10:00:00Z');
    // Renewals would come every 200 s of real time: within this test the claim is never renewed,
    // as if its relay had died.
    const { stuckDrain } = await start({ leaseMs: 600_000 }, clock);
    // The claim holds: the other relay finds nothing it may deliver, and is not blocked either.
    expect(await healthy.get(OutboxRelay).drain('inProcess')).toBe(0);

    clock.advance(600_001);
    expect(await healthy.get(OutboxRelay).drain('inProcess')).toBe(12);
    const taken = healthy.get(Received).events;
    for (const subject of ['call-0', 'call-1', 'call-2'])
      expect(taken.filter((e) => e.subject === subject).map((e) => e.sequence)).toEqual([1, 2, 3, 4]);

    // The stalled relay comes back: its late mark changes nothing and nothing is left pending.
    stalled.get(Stuck).release();
    await stuckDrain;
    expect(await healthy.get(OutboxRelay).drain('inProcess')).toBe(0);
  });
});
