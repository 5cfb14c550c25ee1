import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { compileExotel } from '../../../../test/support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ExotelJob } from './exotel-job.decorator';
import { ExotelScheduler } from './exotel-scheduler';

/** A host's provider with a job of its own, its interval read from the options. */
@Injectable()
class Reports {
  runs = 0;
  readonly args: unknown[][] = [];

  @ExotelJob({ name: 'host.reports.send', intervalMs: (options) => options.support.checkIntervalMs * 2 })
  async send(...args: unknown[]): Promise<number> {
    this.args.push(args);
    return ++this.runs;
  }

  @ExotelJob({ name: 'host.reports.drain', intervalMs: 60_000, signal: true })
  async drain(...args: unknown[]): Promise<void> {
    this.args.push(args);
  }
}

describe('@ExotelJob()', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    database = await createTestDatabase();
    moduleRef = await compileExotel(database, {}, [Reports]);
  });

  afterEach(async () => {
    await moduleRef.close();
    await database.drop();
  });

  it("registers the library's jobs, once each, under exotel.<capability>.<job> names", () => {
    const names = moduleRef.get(ExotelScheduler).names();
    const library = names.filter((name) => !name.startsWith('host.')).sort();
    expect(library).toEqual([
      'exotel.calls.dispatch',
      'exotel.calls.reconcile',
      'exotel.events.outbox-prune',
      'exotel.exophones.sync',
      'exotel.heartbeat.apply',
      'exotel.heartbeat.exophone-sweep',
      'exotel.heartbeat.prune',
      'exotel.heartbeat.watch',
      'exotel.incidents.api-probe',
      'exotel.incidents.watch',
      'exotel.support.sla-watch',
    ]);
    for (const name of library) expect(name).toMatch(/^exotel\.[a-z]+\.[a-z]+(-[a-z]+)*$/);
  });

  it("finds a host provider's job and runs its method on the instance", async () => {
    const scheduler = moduleRef.get(ExotelScheduler);
    expect(scheduler.names()).toContain('host.reports.send');
    expect(await scheduler.runNow('host.reports.send')).toBe(true);
    expect(moduleRef.get(Reports).runs).toBe(1);
  });

  it('calls a method without arguments, or with the pass’s abort signal when it asks for it', async () => {
    const scheduler = moduleRef.get(ExotelScheduler);
    const reports = moduleRef.get(Reports);
    await scheduler.runNow('host.reports.send');
    await scheduler.runNow('host.reports.drain');
    expect(reports.args[0]).toEqual([]);
    expect(reports.args[1]).toEqual([expect.any(AbortSignal)]);
  });
});
