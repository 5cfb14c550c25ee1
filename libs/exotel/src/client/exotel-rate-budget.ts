import { createHash } from 'node:crypto';
import { Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { ExotelBudgetUnavailableError } from '../errors/exotel-budget-unavailable.error';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExotelShutdown } from '../health/exotel-shutdown';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { RequestBudgetStore } from './budget/request-budget-store';

/** Which Exotel budget a request draws from. */
export type ExotelBudget = 'voice' | 'exophoneDetails';

/** Whether the budget's store answers, for readiness. */
export interface RequestBudgetState {
  readonly store: RequestBudgetStore['kind'];
  /** False from a failed take until one succeeds again. */
  readonly reachable: boolean;
  readonly lastError?: string;
  readonly failingSince?: Date;
}

// Exotel counts requests as they arrive; a grant and its arrival differ by the time to send it
// (a new connection, a busy event loop: 150 ms measured on a loaded machine), which varies from
// one request to the next. Counting over a window a second longer than Exotel's minute absorbs
// that spread, at 1.6 % of the budget (a quarter of a shorter test period).
const windowOf = (periodMs: number) => periodMs + Math.min(1_000, Math.ceil(periodMs / 4));

/**
 * Per-account request budgets: the voice API limit (200/min by default) and the tighter
 * ExoPhone-details throttle, as sliding windows: no `periodMs` ever holds more than the limit, and
 * the whole limit is usable. Counted in `RequestBudgetStore` (this process, the database or Redis),
 * so replicas of one account share them. A request waits for room up to `maxWaitMs`, then fails
 * with a local `ExotelRateLimitError` without being sent; an unreachable store fails it with
 * `ExotelBudgetUnavailableError`, also unsent.
 */
@Injectable()
export class ExotelRateBudget implements OnApplicationShutdown {
  private readonly keyPrefix: string;
  private failure?: { message: string; since: Date };

  constructor(
    @InjectExotelOptions('credentials') credentials: ResolvedExotelOptions['credentials'],
    @InjectExotelOptions('rateLimit') private readonly rateLimit: ResolvedExotelOptions['rateLimit'],
    private readonly store: RequestBudgetStore,
    // Requests waiting for room stop waiting when the application shuts down (nothing is sent).
    @Optional() private readonly shutdown?: ExotelShutdown,
  ) {
    // The account's budgets, named without the account SID itself (store keys are widely visible).
    const account = createHash('sha256').update(credentials.accountSid).digest('hex').slice(0, 16);
    this.keyPrefix = `exotel:${account}:`;
  }

  /**
   * Takes one request from `budget`, waiting for room up to `maxWaitMs` (by default
   * `rateLimit.maxWaitMs`; the call queue reserves ahead of sending and waits as long as its claim).
   */
  async take(
    budget: ExotelBudget,
    method: string,
    path: string,
    maxWaitMs = this.rateLimit.maxWaitMs,
  ): Promise<void> {
    const limit =
      budget === 'voice' ? this.rateLimit.voiceRequestsPerMinute : this.rateLimit.exophoneDetailsPerMinute;
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      const verdict = await this.ask(budget, limit, method, path);
      if (verdict.granted) return;
      const wait = verdict.retryInMs + 1;
      if (Date.now() + wait > deadline) {
        throw new ExotelRateLimitError({ status: 429, method, path }, 'local', wait);
      }
      const signal = this.shutdown?.signal;
      if (!signal?.aborted) await pause(wait, signal);
      if (signal?.aborted) {
        throw new ExotelRateLimitError({ status: 429, method, path }, 'local', wait, 'shutdown');
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }

  /** Where the budgets are counted and whether that store answered last time. */
  state(): RequestBudgetState {
    return this.failure
      ? {
          store: this.store.kind,
          reachable: false,
          lastError: this.failure.message,
          failingSince: this.failure.since,
        }
      : { store: this.store.kind, reachable: true };
  }

  private async ask(budget: ExotelBudget, limit: number, method: string, path: string) {
    try {
      const verdict = await this.store.take(
        this.keyPrefix + budget,
        limit,
        windowOf(this.rateLimit.periodMs),
      );
      this.failure = undefined;
      return verdict;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failure = { message, since: this.failure?.since ?? new Date() };
      throw new ExotelBudgetUnavailableError(this.store.kind, method, path, error);
    }
  }
}

/** Waits `ms`, or less if `signal` aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
