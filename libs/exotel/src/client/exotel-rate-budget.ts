import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';

/** Which Exotel budget a request draws from. */
export type ExotelBudget = 'voice' | 'exophoneDetails';

// Exotel counts requests per minute. Fixed windows of a minute would let 2x the limit through
// around a window edge, so the period is cut into ten short windows whose sum over any sliding
// period (at most 11 of them) stays within the limit.
const WINDOWS_PER_PERIOD = 10;

/** Points per window that keep any sliding period within `perPeriod`. */
function pointsPerWindow(perPeriod: number, windowsPerPeriod = WINDOWS_PER_PERIOD): number {
  return Math.max(1, Math.floor(perPeriod / (windowsPerPeriod + 1)));
}

/**
 * Per-account request budgets: the voice API limit (200/min by default) and the tighter
 * ExoPhone-details throttle. A request waits for room up to `maxWaitMs`, then fails with a local
 * `ExotelRateLimitError` without being sent. Built on rate-limiter-flexible, whose stores can be
 * swapped for a shared one when several replicas share an account.
 */
export class ExotelRateBudget {
  private readonly limiters: Record<ExotelBudget, RateLimiterAbstract>;

  constructor(
    private readonly accountKey: string,
    limits: Record<ExotelBudget, number>,
    private readonly maxWaitMs: number,
    periodMs = 60_000,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    // rate-limiter-flexible counts in whole seconds; sub-second windows only arise in tests.
    const duration = Math.max(0.001, periodMs / WINDOWS_PER_PERIOD / 1000);
    this.limiters = {
      voice: new RateLimiterMemory({ points: pointsPerWindow(limits.voice), duration }),
      exophoneDetails: new RateLimiterMemory({ points: pointsPerWindow(limits.exophoneDetails), duration }),
    };
  }

  /** Takes one request from `budget`, waiting for room when needed. */
  async take(budget: ExotelBudget, method: string, path: string): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      try {
        await this.limiters[budget].consume(this.accountKey, 1);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const wait = rejection.msBeforeNext + 1;
        if (Date.now() + wait > deadline) {
          throw new ExotelRateLimitError({ status: 429, method, path }, 'local', wait);
        }
        await this.sleep(wait);
      }
    }
  }
}
