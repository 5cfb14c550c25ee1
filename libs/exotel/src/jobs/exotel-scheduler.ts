import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { logLine, stackOf } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelShutdown } from '../health/exotel-shutdown';
import { EXOTEL_JOB, scheduledJob, type ExotelJob, type ExotelJobOptions } from './exotel-job.decorator';
import { idleLeaseMs, passLeaseMs } from './job-lease-terms';
import { JobLeases } from './job-leases';

/**
 * Runs the library's periodic jobs (staleness checks, SLA clocks, reconciliation, outbox pruning):
 * the `@ExotelJob()` methods of the application's singleton providers, found at module init, and
 * the jobs registered by hand. Jobs start when the application has bootstrapped. With
 * `jobs.enabled: false` nothing runs by itself and `runNow()` drives ticks, which tests use.
 *
 * A singleton job's pass holds a database lease (`JobLeases`), renewed while the pass runs, and kept
 * after it until the job's next tick is due (see `job-lease-terms.ts`): one replica runs each job,
 * and a replica killed mid-pass frees it within a minute. When shutdown begins (`ExotelShutdown`),
 * no pass starts any more, the passes in flight are abandoned (their signal aborts; they are
 * idempotent, and another replica redoes them) rather than waited for, and the leases are released
 * so the other replicas take the jobs over at once.
 */
@Injectable()
export class ExotelScheduler
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(ExotelScheduler.name);
  private readonly jobs = new Map<string, ExotelJob>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly passes = new Map<string, AbortController>();
  private readonly held = new Set<string>();
  private started = false;
  private released?: Promise<unknown>;

  constructor(
    // Whole: the jobs' durations are functions of any part of the options.
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly leases: JobLeases,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly shutdown: ExotelShutdown,
  ) {}

  /** Registers every `@ExotelJob()` method of the application's singleton providers. */
  onModuleInit(): void {
    this.shutdown.signal.addEventListener('abort', () => void this.stop(), { once: true });
    // An alias (`useExisting`) is the same instance under a second token: its jobs count once.
    const seen = new Set<object>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      if (seen.has(instance)) continue;
      seen.add(instance);
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const run = instance[method];
        if (typeof run !== 'function') continue;
        const job = this.reflector.get<ExotelJobOptions | undefined>(EXOTEL_JOB, run as () => unknown);
        if (job) {
          const bound = (...args: unknown[]) => (run as (...a: unknown[]) => unknown).apply(instance, args);
          this.register(scheduledJob(job, bound, this.options));
        }
      }
    }
  }

  /**
   * Registers a job by hand (for code that is not a provider, or a job built at run time); call it
   * from `onModuleInit`. Provider methods are simpler marked `@ExotelJob()`.
   */
  register(job: ExotelJob): void {
    if (this.jobs.has(job.name)) throw new Error(`Job ${job.name} is already registered`);
    this.jobs.set(job.name, job);
    if (this.started) this.schedule(job, job.firstRunMs ?? job.intervalMs);
  }

  /** Names of the registered jobs. */
  names(): string[] {
    return [...this.jobs.keys()];
  }

  /**
   * Runs one tick of `name` now, unless another replica holds its lease or shutdown has begun.
   * Overlapping calls share the tick in progress. Resolves to whether this process ran the tick.
   */
  runNow(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) return Promise.reject(new Error(`No job named ${name}`));
    if (this.shutdown.shuttingDown) return Promise.resolve(false);
    const current = this.inFlight.get(name);
    if (current) return current;
    const tick = this.tick(job).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, tick);
    return tick;
  }

  onApplicationBootstrap(): void {
    if (!this.options.jobs.enabled || this.shutdown.shuttingDown) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job, firstDelay(job));
  }

  // Before the database closes (in the hosts' onApplicationShutdown), so the leases can be released.
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /**
   * Stops scheduling, abandons the passes in flight (aborting their signals) and releases this
   * process's leases. Idempotent; resolves when the leases are released.
   */
  private stop(): Promise<unknown> {
    this.started = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const pass of this.passes.values()) pass.abort(new Error('the application is shutting down'));
    this.released ??= Promise.allSettled([...this.held].map((name) => this.leases.release(name))).then(() =>
      this.held.clear(),
    );
    return this.released;
  }

  private schedule(job: ExotelJob, delayMs: number): void {
    const timer = setTimeout(() => {
      void this.runNow(job.name).finally(() => {
        if (this.started) this.schedule(job, job.intervalMs);
      });
    }, delayMs);
    timer.unref();
    this.timers.set(job.name, timer);
  }

  private async tick(job: ExotelJob): Promise<boolean> {
    const singleton = job.singleton ?? true;
    const pass = new AbortController();
    let renewal: NodeJS.Timeout | undefined;
    try {
      if (singleton) {
        const ttl = passLeaseMs(job.intervalMs);
        if (!(await this.leases.tryAcquire(job.name, ttl))) {
          this.held.delete(job.name);
          return false;
        }
        if (this.shutdown.shuttingDown) {
          // Shutdown began while the lease was being taken: give it back, run nothing.
          await this.leases.release(job.name);
          return false;
        }
        this.held.add(job.name);
        renewal = setInterval(() => void this.renew(job, ttl, pass), ttl / 3);
        renewal.unref();
      }
      this.passes.set(job.name, pass);
      await job.run(pass.signal);
      const idle = idleLeaseMs(job.intervalMs);
      if (singleton && !pass.signal.aborted && idle > passLeaseMs(job.intervalMs)) {
        await this.leases.renew(job.name, idle);
      }
      return true;
    } catch (error) {
      if (pass.signal.aborted) {
        this.logger.log(
          logLine(`Job ${job.name} pass abandoned`, { job: job.name, why: pass.signal.reason }),
        );
      } else {
        this.logger.error(
          logLine(`Job ${job.name} failed; it runs again next tick`, { job: job.name, err: error }),
          stackOf(error),
        );
      }
      return false;
    } finally {
      clearInterval(renewal);
      if (this.passes.get(job.name) === pass) this.passes.delete(job.name);
    }
  }

  // A pass whose lease another replica took (this process stalled past its term) is abandoned:
  // two replicas must not run one job's pass side by side for long.
  private async renew(job: ExotelJob, ttl: number, pass: AbortController): Promise<void> {
    if (pass.signal.aborted) return;
    const kept = await this.leases.renew(job.name, ttl).catch(() => true);
    if (kept || pass.signal.aborted) return;
    this.held.delete(job.name);
    this.logger.warn(
      logLine(`Job ${job.name} lost its lease mid-pass; the pass is abandoned`, { job: job.name }),
    );
    pass.abort(new Error('the job lease was lost'));
  }
}

function firstDelay(job: ExotelJob): number {
  return job.firstRunMs ?? Math.min(job.intervalMs, 1_000);
}
