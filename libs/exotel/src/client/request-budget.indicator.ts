import { Injectable } from '@nestjs/common';
import type { ExotelHealthIndicatorResult } from '../health/health-indicator-result';
import { ExotelRateBudget } from './exotel-rate-budget';

/**
 * Readiness detail of the Exotel request budget: where it is counted (`memory`, `database`,
 * `redis`) and whether that store answered the last request. `degraded` while it does not: calls
 * and lookups fail unsent (`EXOTEL_BUDGET_UNAVAILABLE`) rather than risk the account's limit, but
 * webhooks still work, so the replica stays in rotation.
 */
@Injectable()
export class RequestBudgetHealthIndicator {
  constructor(private readonly budget: ExotelRateBudget) {}

  /** `{ [key]: { status, store, ... } }`, for a host's Terminus `HealthCheckService.check`. */
  check(key = 'requestBudget'): ExotelHealthIndicatorResult {
    const state = this.budget.state();
    return state.reachable
      ? { [key]: { status: 'up', store: state.store } }
      : {
          [key]: {
            status: 'degraded',
            store: state.store,
            reason: 'the request budget store is unreachable: calls fail unsent',
            lastError: state.lastError,
            failingSince: state.failingSince?.toISOString(),
          },
        };
  }
}
