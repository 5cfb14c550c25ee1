import { Injectable } from '@nestjs/common';
import type { ApiOutcome, ExotelApiOutcomes } from '../client/exotel-api-outcomes';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';

/** What the API health says now. */
export interface ApiHealthSnapshot {
  readonly failing: boolean;
  /** Failures and requests within the window. */
  readonly failures: number;
  readonly requests: number;
  readonly windowMs: number;
  /** When the current state began. */
  readonly since: Date | null;
  /** Answers in a row since the last failure. */
  readonly consecutiveOk: number;
  readonly lastRequestAt: Date | null;
  /** Words for the incident's evidence. */
  readonly detail: string;
}

/**
 * Observes the answers `ExotelClient` gets (it is the client's `ExotelApiOutcomes`), in a rolling window, and says when Exotel's API is
 * failing: at least `incidents.api.failureThreshold` 5xx answers, timeouts or network errors within
 * `windowMs`, making up at least half the requests. It works again after `recoverAfterSuccesses`
 * answers in a row. Listeners hear each change (an Exotel-specific incident opens or resolves).
 *
 * Per process: each replica sees its own requests. The incident is shared through the database.
 */
@Injectable()
export class ExotelApiHealth implements ExotelApiOutcomes {
  private readonly samples: { at: number; failed: boolean }[] = [];
  /** Failed samples in `samples`, kept as they come and go (no scan per request). */
  private failures = 0;
  private failing = false;
  private since: Date | null = null;
  private consecutiveOk = 0;
  private lastRequestAt: Date | null = null;
  private readonly listeners = new Set<(snapshot: ApiHealthSnapshot) => void>();

  constructor(
    // Whole, though it reads only `incidents.api`: its spec builds it with `new` and whole options.
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly clock: ExotelClock,
  ) {}

  /** Records how a request ended. Never throws. */
  record(outcome: ApiOutcome, what = ''): void {
    if (outcome === 'neutral') return;
    const now = this.clock.now();
    this.lastRequestAt = now;
    const failed = outcome !== 'ok';
    this.samples.push({ at: now.getTime(), failed });
    if (failed) this.failures++;
    this.trim(now.getTime());
    this.consecutiveOk = failed ? 0 : this.consecutiveOk + 1;
    const { failureThreshold, recoverAfterSuccesses } = this.options.incidents.api;
    const failures = this.failures;
    let changed = false;
    if (!this.failing && failed && failures >= failureThreshold && failures * 2 >= this.samples.length) {
      this.failing = true;
      changed = true;
    } else if (this.failing && this.consecutiveOk >= recoverAfterSuccesses) {
      this.failing = false;
      changed = true;
    }
    if (!changed) return;
    this.since = now;
    const snapshot = this.snapshot(what ? `${outcome} on ${what}` : outcome);
    for (const listener of this.listeners) listener(snapshot);
  }

  /** The state now. */
  snapshot(last = ''): ApiHealthSnapshot {
    const now = this.clock.now().getTime();
    this.trim(now);
    const failures = this.failures;
    const windowMs = this.options.incidents.api.windowMs;
    const minutes = Math.round(windowMs / 6_000) / 10;
    const detail = this.failing
      ? `Exotel API failing: ${failures} of ${this.samples.length} requests in ${minutes} min were 5xx, timeouts or network errors${last ? ` (last: ${last})` : ''}`
      : `Exotel API answering again: ${this.consecutiveOk} requests in a row succeeded`;
    return {
      failing: this.failing,
      failures,
      requests: this.samples.length,
      windowMs,
      since: this.since,
      consecutiveOk: this.consecutiveOk,
      lastRequestAt: this.lastRequestAt,
      detail,
    };
  }

  /** Calls `listener` on every change between failing and working; returns an unsubscribe function. */
  onChange(listener: (snapshot: ApiHealthSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private trim(now: number): void {
    const cutoff = now - this.options.incidents.api.windowMs;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop].at <= cutoff) drop++;
    // Bounded whatever the traffic: the rule only needs the failure share.
    drop = Math.max(drop, this.samples.length - 10_000);
    if (drop <= 0) return;
    for (const sample of this.samples.splice(0, drop)) if (sample.failed) this.failures--;
  }
}
