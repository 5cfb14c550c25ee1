/** What a store answers to one request for room in a budget. */
export type BudgetVerdict =
  | { readonly granted: true }
  /** No room: the earliest moment one may free up is `retryInMs` from now. */
  | { readonly granted: false; readonly retryInMs: number };

/** Where a request budget is counted: this process only, or shared by every replica. */
export type RequestBudgetStoreKind = 'memory' | 'database' | 'redis';

/**
 * A sliding-log request budget: at most `limit` grants in any `periodMs`, counted by the store's
 * own clock. A shared store (the database, Redis) is what keeps several replicas of one account
 * within Exotel's per-account limit together; `take` is atomic across them.
 */
export abstract class RequestBudgetStore {
  /** Where the grants are counted (readiness and logs say it). */
  abstract readonly kind: RequestBudgetStoreKind;

  /**
   * Grants one request in `budget` when fewer than `limit` were granted in the last `periodMs`.
   * Rejects when the store cannot be reached: the caller must not send then (no silent fallback).
   */
  abstract take(budget: string, limit: number, periodMs: number): Promise<BudgetVerdict>;

  /** Releases connections the store opened (Redis); a no-op for the others. */
  async close(): Promise<void> {}
}
