import { RequestBudgetStore, type BudgetVerdict } from './request-budget-store';

/**
 * Grants counted in this process: right for a single replica, and the only choice on SQLite
 * (whose file no second replica shares). Each budget keeps the instants of its grants in the last
 * period, oldest first.
 */
export class MemoryBudgetStore extends RequestBudgetStore {
  readonly kind = 'memory' as const;
  private readonly grants = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  take(budget: string, limit: number, periodMs: number): Promise<BudgetVerdict> {
    const now = this.now();
    let log = this.grants.get(budget);
    if (!log) this.grants.set(budget, (log = []));
    let expired = 0;
    while (expired < log.length && log[expired] <= now - periodMs) expired++;
    if (expired > 0) log.splice(0, expired);
    if (log.length < limit) {
      log.push(now);
      return Promise.resolve({ granted: true });
    }
    // Room comes when enough grants leave the window for one more to fit.
    return Promise.resolve({ granted: false, retryInMs: log[log.length - limit] + periodMs - now });
  }
}
