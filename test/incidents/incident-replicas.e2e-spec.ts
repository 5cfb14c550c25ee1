import { ExotelScheduler, IncidentService, MaintenanceWindowsService } from 'nestjs-exotel';
import { INCIDENT_WATCH_JOB, IncidentSignals, IncidentWatchJob, ManualClock } from 'nestjs-exotel/internal';
import type { TestingModule } from '@nestjs/testing';
import { compileExotel } from '../support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { HOUR, observe, outbox, PHONES, seedExoPhones } from './incident-fixtures';

const START = new Date('2026-11-23T10:00:00Z');

// Two service instances (each its own connection pool, lease owner and clock) on one PostgreSQL
// schema, running the incident watch at the same moments.
describe('incidents with two replicas on one PostgreSQL', () => {
  let database: TestDatabase;
  let replicas: { moduleRef: TestingModule; clock: ManualClock }[];

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    replicas = [];
    // One after the other: the first runs the migrations the second then finds applied.
    for (let i = 0; i < 2; i++) {
      const clock = new ManualClock(START);
      replicas.push({ moduleRef: await compileExotel(database, {}, [], clock), clock });
    }
    await seedExoPhones(replicas[0].moduleRef);
  });

  afterEach(async () => {
    for (const { moduleRef } of replicas) await moduleRef.close();
    await database.drop();
  });

  const setClocks = (instant: Date) => replicas.forEach(({ clock }) => clock.set(instant));
  const bothCheck = async (rounds = 3) => {
    for (let round = 0; round < rounds; round++)
      await Promise.all(replicas.map(({ moduleRef }) => moduleRef.get(IncidentWatchJob).check()));
  };
  const first = () => replicas[0].moduleRef;

  it('opens one incident when both replicas apply the same outage at once', async () => {
    // The outage is in the database; both replicas look at it concurrently, several times.
    await observe(
      first(),
      PHONES.filter((p) => p.region === 'TN').map((p) => p.sid),
      'major_outage',
    );
    await Promise.all(
      replicas.flatMap(({ moduleRef }) =>
        [0, 1, 2].map(() => moduleRef.get(IncidentSignals).submit({ source: 'recheck' })),
      ),
    );
    const open = await first().get(IncidentService).list({ status: 'open' });
    expect(open.map((i) => i.scope)).toEqual(['region:TN']);
    expect(await outbox(first(), 'incident.opened')).toHaveLength(1);
  });

  it('escalates once and signals the RCA due once, whichever replica runs the watch', async () => {
    const incident = await first()
      .get(IncidentService)
      .open({ scope: 'exotel', note: 'API down for everyone' });
    expect(incident.expectedRestore.by).toBe(new Date(START.getTime() + 4 * HOUR).toISOString());

    setClocks(new Date(START.getTime() + 4 * HOUR));
    const ran = await Promise.all(
      replicas.map(({ moduleRef }) => moduleRef.get(ExotelScheduler).runNow(INCIDENT_WATCH_JOB)),
    );
    expect(ran.filter(Boolean)).toHaveLength(1); // the lease: one replica per tick
    // A lease can lapse while its holder still works: run both passes at once, bypassing it.
    await bothCheck();
    const escalated = (await outbox(first(), 'incident.updated')).filter(
      (e) => e.data.change === 'escalated',
    );
    expect(escalated).toHaveLength(1);

    const resolved = await replicas[1].moduleRef.get(IncidentService).resolve(incident.id, 'restored');
    setClocks(new Date(Date.parse(resolved.resolvedAt!) + 72 * HOUR));
    await bothCheck();
    expect((await outbox(first(), 'incident.rca_due')).map((e) => e.subject)).toEqual([incident.id]);
  });

  it('publishes maintenance.started and .ended once each', async () => {
    await first()
      .get(MaintenanceWindowsService)
      .schedule({
        scope: 'exotel',
        startsAt: new Date(START.getTime() + HOUR),
        endsAt: new Date(START.getTime() + 2 * HOUR),
        source: 'exotel',
      });
    setClocks(new Date(START.getTime() + HOUR));
    await bothCheck();
    setClocks(new Date(START.getTime() + 2 * HOUR));
    await bothCheck();
    expect(await outbox(first(), 'maintenance.started')).toHaveLength(1);
    expect(await outbox(first(), 'maintenance.ended')).toHaveLength(1);
  });
});
