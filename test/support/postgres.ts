import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { Client } from 'pg';

/** PostgreSQL used by the tests: `TEST_POSTGRES_URL`, else the local server with trust auth. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** True when the suites run their database work on PostgreSQL (`TEST_DATABASE=postgres`). */
export const USE_POSTGRES = (process.env.TEST_DATABASE ?? 'sqlite').toLowerCase() === 'postgres';

/** Resolves when PostgreSQL answers; starts the local cluster once if it does not. */
export async function ensurePostgres(): Promise<void> {
  if (await answers()) return;
  if (!process.env.TEST_POSTGRES_URL) {
    try {
      const version = readdirSync('/etc/postgresql')[0];
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], {
        stdio: 'ignore',
      });
    } catch {
      // Fall through to the error below, which says what to do.
    }
    for (let i = 0; i < 30 && !(await answers()); i++) await new Promise((r) => setTimeout(r, 500));
  }
  if (!(await answers())) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_URL}. Start it (pg_ctlcluster --skip-systemctl-redirect ` +
        '$(ls /etc/postgresql) main start) or set TEST_POSTGRES_URL.',
    );
  }
}

async function answers(): Promise<boolean> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `work` with a client of the test server (`TEST_POSTGRES_URL`), e.g. to create or drop a database. */
export async function withPostgresAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
