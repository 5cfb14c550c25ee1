import type { DataSource } from 'typeorm';
import { RequestBudgetStore, type BudgetVerdict } from './request-budget-store';

/** The table of the shared budgets (created by the `RateBudgets` migration). */
const RATE_BUDGETS_TABLE = 'exotel_rate_budgets';

// One row per budget holds the instants (ms, by the database's clock, which every replica shares)
// of the grants of the last period. One statement grants or refuses: the upsert takes the row's
// lock, drops the expired instants and appends now only while fewer than the limit remain.
// Its commit does not wait for the WAL flush (synchronous_commit off for this statement alone): a
// grant is coordination, not a record, and a database crash that forgets the last few hundred
// milliseconds of grants lets at most that many requests more into the period, which Exotel's own
// 429 answers bound. A call's own rows keep their durable commits.
const TAKE = (table: string) => `
  INSERT INTO ${table} AS b (budget, grants)
  SELECT $1, ARRAY[(extract(epoch FROM clock_timestamp()) * 1000)::bigint]
  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit
  ON CONFLICT (budget) DO UPDATE
    SET grants = ARRAY(
      SELECT g FROM unnest(b.grants) AS g WHERE g > EXCLUDED.grants[1] - $3 ORDER BY g
    ) || EXCLUDED.grants[1]
    WHERE (SELECT count(*) FROM unnest(b.grants) AS g WHERE g > EXCLUDED.grants[1] - $3) < $2
  RETURNING 1 AS granted`;

// When refused: how long until enough grants leave the window for one more.
const RETRY_IN = (table: string) => `
  SELECT w[cardinality(w) - $2 + 1] + $3 - n.now AS retry_in
  FROM (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now) AS n
  CROSS JOIN LATERAL (
    SELECT ARRAY(SELECT g FROM unnest(b.grants) AS g WHERE g > n.now - $3 ORDER BY g) AS w
    FROM ${table} AS b WHERE b.budget = $1
  ) AS x`;

/** Grants counted in the host's PostgreSQL database, shared by every replica that uses it. */
export class PostgresBudgetStore extends RequestBudgetStore {
  readonly kind = 'database' as const;
  private readonly takeSql: string;
  private readonly retrySql: string;

  constructor(private readonly dataSource: DataSource) {
    super();
    // Qualified like the library's entities: by the DataSource's schema when it names one.
    const schema = (dataSource.options as { schema?: string }).schema;
    const escape = (name: string) => dataSource.driver.escape(name);
    const table = schema ? `${escape(schema)}.${escape(RATE_BUDGETS_TABLE)}` : escape(RATE_BUDGETS_TABLE);
    this.takeSql = TAKE(table);
    this.retrySql = RETRY_IN(table);
  }

  async take(budget: string, limit: number, periodMs: number): Promise<BudgetVerdict> {
    const granted = await this.dataSource.query<unknown[]>(this.takeSql, [budget, limit, periodMs]);
    if (granted.length > 0) return { granted: true };
    const [row] = await this.dataSource.query<{ retry_in: string | null }[]>(this.retrySql, [
      budget,
      limit,
      periodMs,
    ]);
    return { granted: false, retryInMs: Math.max(1, Number(row?.retry_in ?? 1)) };
  }
}
