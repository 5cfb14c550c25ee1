import { SetMetadata } from '@nestjs/common';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';

/** Metadata key of `@ExotelJob()`. */
export const EXOTEL_JOB = 'exotel:job';

/** A periodic job, as `ExotelScheduler.register()` takes it. */
export interface ExotelJob {
  /**
   * Unique name; also the lease name. The library's jobs are named `exotel.<capability>.<job>`
   * (dotted, lower case, kebab-case within a part), e.g. `exotel.heartbeat.apply`.
   */
  readonly name: string;
  /** Time between the end of one run and the start of the next. */
  readonly intervalMs: number;
  /** Delay before the first tick after start; by default the interval, capped at one second. */
  readonly firstRunMs?: number;
  /**
   * The work of one tick. `signal` aborts when the pass is abandoned (shutdown began, or the lease
   * was lost): a long pass should stop at its next step, and its work must be safe to redo.
   */
  readonly run: (signal: AbortSignal) => Promise<void>;
  /**
   * Run on one replica at a time (a database lease), true by default. Jobs that only act on this
   * process's own state may opt out.
   */
  readonly singleton?: boolean;
}

/** A duration given as is, or read from the resolved options when the scheduler starts. */
export type ExotelJobDuration = number | ((options: ResolvedExotelOptions) => number);

/** What `@ExotelJob()` says of the method it marks: an `ExotelJob` whose `run` is the method. */
export interface ExotelJobOptions {
  /** Unique name; also the lease name (see `ExotelJob.name`). */
  readonly name: string;
  /** Time between the end of one run and the start of the next, or how to read it from the options. */
  readonly intervalMs: ExotelJobDuration;
  /** Delay before the first tick after start. @default the interval, capped at one second */
  readonly firstRunMs?: ExotelJobDuration;
  /** Run on one replica at a time (a database lease). @default true */
  readonly singleton?: boolean;
  /**
   * Call the method with the pass's `AbortSignal` as its one argument (see `ExotelJob.run`), for a
   * pass that loops and should stop at its next step when abandoned. @default false
   */
  readonly signal?: boolean;
}

/**
 * Marks a provider method as a periodic job: `ExotelScheduler` finds it at boot (on every singleton
 * provider of the application, the host's included) and registers it, reading the durations given
 * as functions from the resolved options. The method is called without arguments, or with the
 * pass's `AbortSignal` with `signal: true`; what it returns is ignored and what it throws is logged,
 * and the job runs again next tick.
 *
 * ```ts
 * @Injectable()
 * class Reports {
 *   @ExotelJob({ name: 'reports.daily', intervalMs: 86_400_000 })
 *   async send() { ... }
 * }
 * ```
 */
export const ExotelJob = (job: ExotelJobOptions): MethodDecorator => SetMetadata(EXOTEL_JOB, job);

/** The `ExotelJob` that `@ExotelJob(job)` on `run` stands for, with durations read from `options`. */
export function scheduledJob(
  job: ExotelJobOptions,
  run: (signal?: AbortSignal) => unknown,
  options: ResolvedExotelOptions,
): ExotelJob {
  const duration = (value: ExotelJobDuration): number =>
    typeof value === 'function' ? value(options) : value;
  return {
    name: job.name,
    intervalMs: duration(job.intervalMs),
    ...(job.firstRunMs === undefined ? {} : { firstRunMs: duration(job.firstRunMs) }),
    ...(job.singleton === undefined ? {} : { singleton: job.singleton }),
    run: async (signal) => {
      await (job.signal ? run(signal) : run());
    },
  };
}
