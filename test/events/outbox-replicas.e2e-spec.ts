import { OnExotelEvent, type ExotelEvent } from 'nestjs-exotel';
import { EventPublisher, ExotelDatabase, OutboxRelay } from 'nestjs-exotel/internal';
import { Inject, Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { compileExotel } from '../support/exotel-test-module';
import { callOutcomeUnknown, callRequested } from '../support/sample-events';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

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

// Several replicas share one PostgreSQL: their relays claim rows with FOR UPDATE SKIP LOCKED and
// only deliver a subject from its first pending event, so work is shared without reordering.
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
