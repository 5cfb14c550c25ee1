import { ExotelScheduler, SupportSlaService } from 'nestjs-exotel';
import { ExotelDatabase, ManualClock, SLA_WATCH_JOB } from 'nestjs-exotel/internal';
import type { TestingModule } from '@nestjs/testing';
import { DateTime } from 'luxon';
import { OutboxEventEntity } from '../../libs/exotel/src/events/outbox-event.entity';
import { SlaSignals } from '../../libs/exotel/src/support/sla-signals';
import { SlaWatchJob } from '../../libs/exotel/src/support/sla-watch.job';
import { TicketEntity } from '../../libs/exotel/src/support/ticket.entity';
import { compileExotel } from '../support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ist = (local: string): Date => DateTime.fromISO(local, { zone: 'Asia/Kolkata' }).toJSDate();
const TICKETS = 12;

// Two service instances (each its own connection pool, lease owner and clock) on one PostgreSQL
// schema, both running the SLA watch job at the same moment.
describe('SLA signals with two replicas on one PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: { moduleRef: TestingModule; clock: ManualClock }[];

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    replicas = [];
    // One after the other: the first runs the migrations the second then finds applied.
    for (let i = 0; i < 2; i++) {
      const clock = new ManualClock(ist('2026-11-23T21:50'));
      replicas.push({
        moduleRef: await compileExotel(database, { support: { plan: 'sme' } }, [], clock),
        clock,
      });
    }
  });

  afterEach(async () => {
    for (const { moduleRef } of replicas) await moduleRef.close();
    await database.drop();
  });

  const setClocks = (instant: Date) => replicas.forEach(({ clock }) => clock.set(instant));

  async function signals(): Promise<string[]> {
    const rows = await replicas[0].moduleRef
      .get(ExotelDatabase)
      .read((m) => m.find(OutboxEventEntity, { order: { position: 'ASC' } }));
    return rows
      .filter((r) => r.type.startsWith('sla.'))
      .map((r) => `${r.subject} ${r.type} ${String(r.data.metric)} ${String(r.data.cycle)}`);
  }

  const expectEachOnce = (list: string[], expected: number) => {
    expect(new Set(list).size).toBe(list.length);
    expect(list).toHaveLength(expected);
  };

  it('publishes each warning and breach once per ticket, metric and cycle', async () => {
    const support = replicas[0].moduleRef.get(SupportSlaService);
    for (let i = 0; i < TICKETS; i++)
      await support.open({ title: `ticket ${i}`, severity: ((i % 4) + 1) as 1 });

    // 08:13 IST: 75 % of every acknowledgement target has run (10 min before 22:00, 13 min since 08:00).
    setClocks(ist('2026-11-24T08:13'));
    const ran = await Promise.all(
      replicas.map(({ moduleRef }) => moduleRef.get(ExotelScheduler).runNow(SLA_WATCH_JOB)),
    );
    expect(ran.filter(Boolean)).toHaveLength(1); // the lease: one replica per tick
    // A lease can lapse while its holder still works: run both passes at once, bypassing it.
    for (let round = 0; round < 3; round++) {
      await Promise.all(replicas.map(({ moduleRef }) => moduleRef.get(SlaWatchJob).check()));
    }
    expectEachOnce(await signals(), TICKETS);

    // Two days on, every clock has run out: one breach per ticket and metric, whoever runs.
    setClocks(ist('2026-11-26T21:00'));
    for (let round = 0; round < 3; round++) {
      await Promise.all(replicas.map(({ moduleRef }) => moduleRef.get(SlaWatchJob).check()));
    }
    const all = await signals();
    expectEachOnce(all, TICKETS + 2 * TICKETS);
    expect(all.filter((s) => s.includes('sla.breached'))).toHaveLength(2 * TICKETS);
  });

  it('holds on the signal key alone, without the ticket lock', async () => {
    const ticket = await replicas[0].moduleRef.get(SupportSlaService).open({ title: 'race', severity: 1 });
    setClocks(ist('2026-11-26T21:00'));
    const published = await Promise.all(
      replicas.flatMap(({ moduleRef, clock }) =>
        [0, 1, 2].map(() =>
          moduleRef.get(ExotelDatabase).transaction(async (manager) => {
            const row = await manager.findOneByOrFail(TicketEntity, { id: ticket.id });
            return moduleRef.get(SlaSignals).publishDue(manager, row, [], clock.now());
          }),
        ),
      ),
    );
    expect(published.reduce((a, b) => a + b, 0)).toBe(2);
    expectEachOnce(await signals(), 2);
  });
});
