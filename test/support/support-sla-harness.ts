import type { TestingModule } from '@nestjs/testing';
import { DateTime } from 'luxon';
import { OutboxEventEntity } from '../../libs/exotel/src/events/outbox-event.entity';
import { ManualClock } from '../../libs/exotel/src/jobs/exotel-clock';
import { ExotelScheduler } from '../../libs/exotel/src/jobs/exotel-scheduler';
import type { ExotelModuleOptions } from '../../libs/exotel/src/options/exotel-module-options.interface';
import { ExotelDatabase } from '../../libs/exotel/src/persistence/exotel-database';
import { SLA_WATCH_JOB } from '../../libs/exotel/src/support/sla-watch.job';
import { SupportSlaService } from '../../libs/exotel/src/support/support-sla.service';
import { compileExotel } from './exotel-test-module';
import { createTestDatabase, type TestDatabase } from './test-database';

// SupportSlaService on a test database and a ManualClock, for its specs (libs/exotel/src/support/):
// a spec calls useSupportSla() in its describe, then boot(options) in each test, and reads the
// exported bindings `moduleRef`, `clock` and `support`, which follow the test in progress.

export const ist = (local: string): Date => DateTime.fromISO(local, { zone: 'Asia/Kolkata' }).toJSDate();
export const MINUTE = 60_000;

let database: TestDatabase;
export let moduleRef: TestingModule;
export let clock: ManualClock;
export let support: SupportSlaService;

/** Boots the module with these support options, its clock at 21:50 IST on 23 November 2026. */
export async function boot(options: ExotelModuleOptions['support'] = {}): Promise<void> {
  clock = new ManualClock(ist('2026-11-23T21:50'));
  moduleRef = await compileExotel(database, { support: options }, [], clock);
  support = moduleRef.get(SupportSlaService);
}

/** Events in the outbox, oldest first, as `type` plus data. */
export async function published(): Promise<
  { type: string; subject: string; data: Record<string, unknown> }[]
> {
  const rows = await moduleRef
    .get(ExotelDatabase)
    .read((m) => m.find(OutboxEventEntity, { order: { position: 'ASC' } }));
  return rows.map(({ type, subject, data }) => ({ type, subject, data }));
}

/** The types of the events in the outbox, oldest first. */
export const types = async () => (await published()).map((e) => e.type);
/** One tick of the SLA watch. */
export const watch = () => moduleRef.get(ExotelScheduler).runNow(SLA_WATCH_JOB);

/** A database for each test, and the module and database closed after it. */
export function useSupportSla(): void {
  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await moduleRef?.close();
    await database.drop();
  });
}
