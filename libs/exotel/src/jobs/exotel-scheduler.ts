import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { logLine, stackOf } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { EXOTEL_JOB, scheduledJob, type ExotelJob, type ExotelJobOptions } from './exotel-job.decorator';
import { JobLeases } from './job-leases';

/**
 * Runs the library's periodic jobs (staleness checks, SLA clocks, reconciliation, outbox pruning):
 * the `@ExotelJob()` methods of the application's singleton providers, found at module init, and
 * the jobs registered by hand. Jobs start when the application has bootstrapped and stop on shutdown. With
 * `jobs.enabled: false` nothing runs by itself and `runNow()` drives ticks, which tests use.
 */
@Injectable()
export class ExotelScheduler implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExotelScheduler.name);
  private readonly jobs = new Map<string, ExotelJob>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<boolean>>();
  private readonly held = new Set<string>();
  private started = false;

  constructor(
    // Whole: the jobs' durations are functions of any part of the options.
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly leases: JobLeases,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Registers every `@ExotelJob()` method of the application's singleton providers. */
  onModuleInit(): void {
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
        if (job) this.register(scheduledJob(job, () => (run as () => unknown).call(instance), this.options));
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
   * Runs one tick of `name` now, unless another replica holds its lease. Overlapping calls share
   * the tick in progress. Resolves to whether this process ran the tick.
   */
  runNow(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) return Promise.reject(new Error(`No job named ${name}`));
    const current = this.inFlight.get(name);
    if (current) return current;
    const tick = this.tick(job).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, tick);
    return tick;
  }

  onApplicationBootstrap(): void {
    if (!this.options.jobs.enabled) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job, firstDelay(job));
  }

  async onApplicationShutdown(): Promise<void> {
    this.started = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight.values()]);
    await Promise.allSettled([...this.held].map((name) => this.leases.release(name)));
    this.held.clear();
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
    try {
      if (job.singleton ?? true) {
        const ttl = Math.max(job.intervalMs * 3, 10_000);
        if (!(await this.leases.tryAcquire(job.name, ttl))) {
          this.held.delete(job.name);
          return false;
        }
        this.held.add(job.name);
      }
      await job.run();
      return true;
    } catch (error) {
      this.logger.error(
        logLine(`Job ${job.name} failed; it runs again next tick`, { job: job.name, err: error }),
        stackOf(error),
      );
      return false;
    }
  }
}

function firstDelay(job: ExotelJob): number {
  return job.firstRunMs ?? Math.min(job.intervalMs, 1_000);
}
