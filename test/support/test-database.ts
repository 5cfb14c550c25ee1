import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DatabaseSettings } from '../../apps/exotel-service/src/config/service-config';
import type { DatabaseIsolation } from '../../apps/exotel-service/src/database/database-options';
import { TEST_POSTGRES_URL, USE_POSTGRES } from './postgres';

/** A database for one test suite, isolated from every other suite running at the same time. */
export interface TestDatabase {
  readonly settings: DatabaseSettings;
  readonly isolation: DatabaseIsolation;
  /** Drops what the suite created. */
  drop(): Promise<void>;
}

/**
 * SQLite in memory by default; with `TEST_DATABASE=postgres` (or `dialect: 'postgres'`), a fresh
 * PostgreSQL schema that the library's migrations fill and `drop()` removes.
 */
export async function createTestDatabase(
  dialect: 'sqlite' | 'postgres' = USE_POSTGRES ? 'postgres' : 'sqlite',
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    return { settings: { type: 'sqlite', path: ':memory:' }, isolation: {}, drop: async () => undefined };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE SCHEMA "${schema}"`));
  return {
    settings: { type: 'postgres', url: TEST_POSTGRES_URL },
    isolation: { schema },
    drop: () =>
      admin((client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

/** Runs `work` on a client of the test server's `test` database (to create or drop schemas and databases). */
export async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
