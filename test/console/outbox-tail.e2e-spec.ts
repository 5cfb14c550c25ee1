import type { TestingModule } from '@nestjs/testing';
import { EventPublisher, ExotelDatabase } from 'nestjs-exotel/internal';
import { OutboxTail } from '../../libs/exotel/src/console/outbox-tail';
import { compileExotel } from '../support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// The console's feed reads the outbox itself (each replica all events), so it must see every
// committed event once, in the order it becomes visible, and skip what rolled back.
describe('the console outbox tail', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let db: ExotelDatabase;
  let events: EventPublisher;

  beforeEach(async () => {
    database = await createTestDatabase();
    moduleRef = await compileExotel(database);
    db = moduleRef.get(ExotelDatabase);
    events = moduleRef.get(EventPublisher);
  });

  afterEach(async () => {
    await moduleRef.close();
    await database.drop();
  });

  const missed = (subject: string) => ({
    type: 'heartbeat.missed' as const,
    subject,
    data: { lastHeartbeatAt: null, expectedEverySeconds: 60, silentForSeconds: 120 },
  });
  const publish = (subject: string) => db.transaction((m) => events.publish(m, missed(subject)));
  const rollBack = () =>
    expect(
      db.transaction(async (m) => {
        await events.publish(m, missed('rolled-back'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
  const subjects = (read: { subject: string }[]) => read.map((e) => e.subject);

  it('starts at the newest event and hands out each later event once, in order', async () => {
    await publish('before');
    const tail = new OutboxTail(db, { batchSize: 2, holeWaitMs: 30_000, maxHoles: 100 });
    expect(await tail.next()).toEqual([]);
    await publish('a');
    await publish('b');
    await publish('c');
    const first = await tail.next();
    expect(subjects(first)).toEqual(['a', 'b']);
    expect(tail.full(first)).toBe(true);
    expect(first[0]).toMatchObject({ type: 'heartbeat.missed', data: { expectedEverySeconds: 60 } });
    expect(subjects(await tail.next())).toEqual(['c']);
    expect(await tail.next()).toEqual([]);
  });

  it('never hands out an event whose transaction rolled back', async () => {
    const tail = new OutboxTail(db, { batchSize: 50, holeWaitMs: 30_000, maxHoles: 100 });
    await tail.next();
    await rollBack();
    await publish('kept');
    expect(subjects(await tail.next())).toEqual(['kept']);
    expect(await tail.next()).toEqual([]);
  });

  it('forgets a hole once it has waited holeWaitMs', async () => {
    let now = 0;
    const tail = new OutboxTail(db, { batchSize: 50, holeWaitMs: 1_000, maxHoles: 100 }, () => now);
    await tail.next();
    await rollBack();
    await publish('after');
    expect(subjects(await tail.next())).toEqual(['after']);
    now = 5_000;
    expect(await tail.next()).toEqual([]);
    // A position handed out again (SQLite reuses the last rowid) is then read as a new event.
    await publish('later');
    expect(subjects(await tail.next())).toEqual(['later']);
  });
});
