import { ExotelConfigurationError } from '../../errors/exotel-configuration.error';
import type { ResolvedExotelOptions } from '../../options/exotel-module-options.interface';
import type { ExotelDatabase } from '../../persistence/exotel-database';
import { MemoryBudgetStore } from './memory-budget-store';
import { PostgresBudgetStore } from './postgres-budget-store';
import { RedisBudgetStore } from './redis-budget-store';
import type { RequestBudgetStore } from './request-budget-store';

/**
 * The store `rateLimit.store` asks for. `auto`: Redis when a URL is given, else the database on
 * PostgreSQL, else memory (SQLite is one process's file). Asking for the database on SQLite is a
 * configuration error, never a silent downgrade to per-process budgets.
 */
export function createRequestBudgetStore(
  rateLimit: ResolvedExotelOptions['rateLimit'],
  db: ExotelDatabase,
): RequestBudgetStore {
  const store =
    rateLimit.store !== 'auto'
      ? rateLimit.store
      : rateLimit.redisUrl
        ? 'redis'
        : db.dialect === 'postgres'
          ? 'database'
          : 'memory';
  if (store === 'redis') return new RedisBudgetStore(rateLimit.redisUrl!, rateLimit.storeTimeoutMs);
  if (store === 'memory') return new MemoryBudgetStore();
  if (db.dialect !== 'postgres') {
    throw new ExotelConfigurationError([
      {
        path: 'rateLimit.store',
        problem: "is 'database' but the database is SQLite, which no second replica shares",
        fix: "use PostgreSQL, set rateLimit.redisUrl, or choose 'memory' for a single replica",
      },
    ]);
  }
  return new PostgresBudgetStore(db.dataSource);
}
