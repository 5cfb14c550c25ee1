import { Test, type TestingModule } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import {
  TEST_CREDENTIALS,
  TEST_MANAGEMENT,
  TEST_WEBHOOKS,
  typeOrmFor,
} from '../../../../test/support/test-modules';
import { ExotelModule } from '../exotel.module';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExotelScheduler } from './exotel-scheduler';
import { JobLeaseEntity } from './job-lease.entity';
import { JobLeases } from './job-leases';

describe('job leases and the scheduler', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let db: ExotelDatabase;

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
        }),
      ],
    }).compile();
    await moduleRef.init();
    db = moduleRef.get(ExotelDatabase);
  });

  afterEach(async () => {
    await moduleRef.close();
    await database.drop();
  });

  it('lets one owner hold a lease until it expires or is released', async () => {
    const a = new JobLeases(db);
    const b = new JobLeases(db);
    expect(await a.tryAcquire('sweep', 60_000)).toBe(true);
    expect(await b.tryAcquire('sweep', 60_000)).toBe(false);
    expect(await a.tryAcquire('sweep', 60_000)).toBe(true);
    await a.release('sweep');
    expect(await b.tryAcquire('sweep', 60_000)).toBe(true);

    // An expired lease is free for the taking.
    await db.transaction((m) =>
      m.update(JobLeaseEntity, { name: 'sweep' }, { expiresAt: new Date(Date.now() - 1) }),
    );
    expect(await a.tryAcquire('sweep', 60_000)).toBe(true);
  });

  it('gives a contended lease to exactly one of many concurrent owners', async () => {
    const owners = Array.from({ length: 8 }, () => new JobLeases(db));
    const results = await Promise.all(owners.map((owner) => owner.tryAcquire('race', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('runs a tick only where the lease is held, and shares a tick already in progress', async () => {
    const scheduler = moduleRef.get(ExotelScheduler);
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    scheduler.register({
      name: 'count',
      intervalMs: 1_000,
      run: async () => {
        runs++;
        await gate;
      },
    });
    const first = scheduler.runNow('count');
    const second = scheduler.runNow('count');
    release();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(runs).toBe(1);

    const rival = new JobLeases(db);
    await db.transaction((m) =>
      m.update(JobLeaseEntity, { name: 'count' }, { expiresAt: new Date(Date.now() - 1) }),
    );
    expect(await rival.tryAcquire('count', 60_000)).toBe(true);
    expect(await scheduler.runNow('count')).toBe(false);
    expect(runs).toBe(1);
  });
});
