import { Test, type TestingModule } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import {
  TEST_CREDENTIALS,
  TEST_MANAGEMENT,
  TEST_WEBHOOKS,
  typeOrmFor,
} from '../../../../test/support/test-modules';
import { until } from '../../../../test/support/until';
import { ExotelModule } from '../exotel.module';
import { ExotelShutdown } from '../health/exotel-shutdown';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExotelScheduler } from './exotel-scheduler';
import { JobLeaseEntity } from './job-lease.entity';
import { idleLeaseMs, passLeaseMs } from './job-lease-terms';
import { JobLeases } from './job-leases';

describe('job leases and the scheduler', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let db: ExotelDatabase;
  let closed: boolean;

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
    closed = false;
  });

  afterEach(async () => {
    if (!closed) await moduleRef.close();
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

  const leaseOf = (name: string) => db.read((m) => m.findOneBy(JobLeaseEntity, { name }));

  it('keeps a lease a few intervals at most: a pass’s term is capped at a minute, then one interval', async () => {
    expect(passLeaseMs(1_000)).toBe(10_000);
    expect(passLeaseMs(30_000)).toBe(60_000);
    expect(passLeaseMs(3_600_000)).toBe(60_000);
    expect(idleLeaseMs(1_000)).toBe(2_000);
    expect(idleLeaseMs(3_600_000)).toBe(3_605_000);

    // An hourly job (the prune jobs): after its pass the lease lasts until its next tick, not 3 h.
    const scheduler = moduleRef.get(ExotelScheduler);
    scheduler.register({ name: 'hourly', intervalMs: 3_600_000, run: async () => undefined });
    const before = Date.now();
    expect(await scheduler.runNow('hourly')).toBe(true);
    const expiresAt = (await leaseOf('hourly'))!.expiresAt.getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + idleLeaseMs(3_600_000));
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + idleLeaseMs(3_600_000));
  });

  it('renews the lease while a long pass runs, and abandons the pass if another replica took it', async () => {
    const scheduler = moduleRef.get(ExotelScheduler);
    let signal!: AbortSignal;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    scheduler.register({
      name: 'long',
      intervalMs: 1_000,
      run: async (passSignal) => {
        signal = passSignal;
        await done;
      },
    });
    const tick = scheduler.runNow('long');
    const first = await until(async () => (await leaseOf('long'))?.expiresAt.getTime());
    // Renewed every third of its 10 s term while the pass is still running.
    await until(async () => ((await leaseOf('long'))?.expiresAt.getTime() ?? 0) > first);
    expect(signal.aborted).toBe(false);

    await db.transaction((m) => m.update(JobLeaseEntity, { name: 'long' }, { owner: 'another-replica' }));
    await until(async () => signal.aborted);
    expect(String(signal.reason)).toContain('lease was lost');
    finish();
    expect(await tick).toBe(true);
    expect((await leaseOf('long'))?.owner).toBe('another-replica');
  });

  it('on shutdown starts no pass, abandons the one in flight without waiting and releases the leases', async () => {
    const scheduler = moduleRef.get(ExotelScheduler);
    let signal!: AbortSignal;
    scheduler.register({
      name: 'stuck',
      intervalMs: 30_000,
      // A pass that never ends by itself (Exotel unreachable, say): shutdown must not wait on it.
      run: (passSignal) => {
        signal = passSignal;
        return new Promise<void>(() => undefined);
      },
    });
    scheduler.register({ name: 'idle', intervalMs: 30_000, run: async () => undefined });
    expect(await scheduler.runNow('idle')).toBe(true);
    void scheduler.runNow('stuck');
    await until(async () => signal && (await leaseOf('stuck')));

    moduleRef.get(ExotelShutdown).begin();
    expect(signal.aborted).toBe(true);
    expect(await scheduler.runNow('idle')).toBe(false);
    // Released at once, both the idle job's lease and the abandoned pass's, for the other replicas.
    await until(async () => (await db.read((m) => m.count(JobLeaseEntity))) === 0 || undefined);
    // The pass never ends, and closing the application does not wait for it.
    await moduleRef.close();
    closed = true;
  });
});
