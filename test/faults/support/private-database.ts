import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { TEST_POSTGRES_URL, withPostgresAdmin } from '../../support/postgres';

/** An empty PostgreSQL database of one scenario round, created on the test server and dropped after. */
export interface PrivateDatabase {
  readonly name: string;
  /** What the service gets as `DATABASE_URL`. */
  readonly url: string;
  /** Runs one query against it (the harness reads what the service wrote). */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** One number from `select count(*) ...` or any single-value query. */
  count(sql: string, params?: unknown[]): Promise<number>;
  drop(): Promise<void>;
}

/** Creates `fault_<random>` beside the `test` database (trust auth on 127.0.0.1:5432). */
export async function createPrivateDatabase(): Promise<PrivateDatabase> {
  const name = `fault_${randomBytes(6).toString('hex')}`;
  await withPostgresAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const pool = new Pool({ connectionString: url.toString(), max: 2 });
  // pool.end() resolves before its idle clients have closed their connections; a forced DROP can
  // then terminate one (57P01), which the pool re-emits as 'error'. Harmless once we are dropping.
  let dropping = false;
  pool.on('error', (error) => {
    if (!dropping) throw error;
  });
  const query = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await pool.query<T>(sql, params)).rows;
  return {
    name,
    url: url.toString(),
    query,
    count: async (sql, params) => Number(Object.values((await query(sql, params))[0] ?? { n: 0 })[0]),
    drop: async () => {
      dropping = true;
      await pool.end();
      // FORCE: a killed service's connections may linger for a moment.
      await withPostgresAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
