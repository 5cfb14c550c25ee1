import fc from 'fast-check';
import type { TestingModule } from '@nestjs/testing';
import { ExoPhoneHealthService, type HealthObservation } from 'nestjs-exotel';
import {
  ExoPhoneEntity,
  ExoPhoneHealthHistoryEntity,
  ExotelDatabase,
  ManualClock,
} from 'nestjs-exotel/internal';
import { compileExotel } from '../support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const SIDS = ['08030000001', '08030000002', '08030000003', '08030000004', '08030000005'];
const STATES = ['active', 'partial_network_outage', 'major_outage', 'unknown'] as const;
const START = Date.parse('2026-12-04T10:00:00Z');

/** A batch of observations: a heartbeat (others active) or a sweep, with check times around its own. */
const batch = fc.record({
  othersActive: fc.boolean(),
  advanceMs: fc.integer({ min: 0, max: 120_000 }),
  observations: fc.array(
    fc.record({
      exoPhoneSid: fc.constantFrom(...SIDS, '08030000099'),
      direction: fc.constantFrom('incoming' as const, 'outgoing' as const),
      state: fc.constantFrom(...STATES),
      checkedOffsetMs: fc.option(fc.integer({ min: -180_000, max: 60_000 }), { nil: undefined }),
      alternates: fc.option(fc.array(fc.constantFrom('08030000002', '+918030000003'), { maxLength: 2 }), {
        nil: undefined,
      }),
      phoneNumber: fc.option(fc.constantFrom('+918030000099'), { nil: undefined }),
    }),
    { maxLength: 8 },
  ),
});

interface Side {
  readonly database: TestDatabase;
  readonly moduleRef: TestingModule;
  readonly clock: ManualClock;
}

async function side(dialect: 'sqlite' | 'postgres'): Promise<Side> {
  const database = await createTestDatabase(dialect);
  const clock = new ManualClock(new Date(START));
  const moduleRef = await compileExotel(database, { exophones: { syncOnStart: false } }, [], clock);
  return { database, moduleRef, clock };
}

/** Every ExoPhone row as the health columns say, in SID order. */
async function rowsOf(s: Side): Promise<unknown[]> {
  const rows = await s.moduleRef
    .get(ExotelDatabase)
    .read((manager) => manager.find(ExoPhoneEntity, { order: { sid: 'ASC' } }));
  return rows.map((row) => ({
    sid: row.sid,
    phoneNumber: row.phoneNumber,
    incoming: [row.incomingState, row.incomingCheckedAt?.toISOString() ?? null, row.incomingAlternates],
    outgoing: [row.outgoingState, row.outgoingCheckedAt?.toISOString() ?? null, row.outgoingAlternates],
    healthChangedAt: row.healthChangedAt?.toISOString() ?? null,
  }));
}

/** The history rows written since `afterId`, in the order they were inserted. */
async function historyOf(s: Side, afterId: number): Promise<unknown[]> {
  const rows = await s.moduleRef
    .get(ExotelDatabase)
    .read((manager) => manager.find(ExoPhoneHealthHistoryEntity, { order: { id: 'ASC' } }));
  return rows
    .filter((row) => row.id > afterId)
    .map((row) => [
      row.exoPhoneSid,
      row.direction,
      row.previous,
      row.current,
      row.source,
      row.observedAt.toISOString(),
      row.recordedAt.toISOString(),
    ]);
}

/** The newest history row's id (0 when there is none). */
async function lastHistoryId(s: Side): Promise<number> {
  const [last] = await s.moduleRef
    .get(ExotelDatabase)
    .read((manager) => manager.find(ExoPhoneHealthHistoryEntity, { order: { id: 'DESC' }, take: 1 }));
  return last?.id ?? 0;
}

// PostgreSQL applies observations as set-based SQL; SQLite row by row. The same batches must give
// the same changes, in the same order, the same rows and the same history rows in the same order.
describe('health apply: set-based SQL on PostgreSQL and row by row on SQLite agree', () => {
  let sqlite: Side;
  let postgres: Side;

  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([side('sqlite'), side('postgres')]);
  });

  afterAll(async () => {
    for (const s of [sqlite, postgres]) {
      await s?.moduleRef.close();
      await s?.database.drop();
    }
  });

  it('on random sequences of heartbeats and sweeps', async () => {
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 5 }), async (batches) => {
        for (const s of [sqlite, postgres]) {
          await s.moduleRef
            .get(ExotelDatabase)
            .transaction((manager) => manager.createQueryBuilder().delete().from(ExoPhoneEntity).execute());
          s.clock.set(new Date(START));
        }
        for (const [i, b] of batches.entries()) {
          const results = [];
          for (const s of [sqlite, postgres]) {
            const now = s.clock.advance(b.advanceMs);
            const before = await lastHistoryId(s);
            const observations: HealthObservation[] = b.observations.map((o) => ({
              exoPhoneSid: o.exoPhoneSid,
              direction: o.direction,
              state: o.state,
              checkedAt: o.checkedOffsetMs === undefined ? null : new Date(now.getTime() + o.checkedOffsetMs),
              alternates: o.alternates,
              phoneNumber: o.phoneNumber,
            }));
            const changes = await s.moduleRef.get(ExotelDatabase).transaction((manager) =>
              s.moduleRef.get(ExoPhoneHealthService).applyObservations(manager, {
                observations,
                source: b.othersActive ? 'heartbeat' : 'sweep',
                observedAt: now,
                othersActive: b.othersActive,
              }),
            );
            results.push({ changes, rows: await rowsOf(s), history: await historyOf(s, before) });
          }
          changed += results[0].changes.length;
          expect({ batch: i, ...results[1] }).toEqual({ batch: i, ...results[0] });
        }
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 60),
        seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
      },
    );
    // The batches did change health (the comparison is not of two empty lists).
    expect(changed).toBeGreaterThan(0);
  });
});
