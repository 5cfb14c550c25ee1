import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { TEST_POSTGRES_URL } from '../../test/support/postgres';
import { quantile } from './quantile';

// The physical floors on PostgreSQL the benchmarks are held against, measured with bare `pg` (no
// ORM, no library) in a scratch schema of the same database, in the same run.

async function withScratchSchema<T>(work: (client: Client, schema: string) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  const schema = `floor_${process.pid}_${Date.now().toString(36)}`;
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    return await work(client, schema);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

/** Median of `rounds` pairs of durable commits. */
export function twoCommitsFloor(rounds = 300): Promise<number> {
  return withScratchSchema(async (client, schema) => {
    await client.query(
      `CREATE TABLE ${schema}.intent (id bigserial PRIMARY KEY, body jsonb NOT NULL, at timestamptz DEFAULT now())`,
    );
    const pairs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await client.query(`INSERT INTO ${schema}.intent (body) VALUES ($1)`, [{ from: '+919876543210', i }]);
      await client.query(`INSERT INTO ${schema}.intent (body) VALUES ($1)`, [{ outcome: 'initiated', i }]);
      pairs.push(performance.now() - started);
    }
    return quantile(
      pairs.sort((a, b) => a - b),
      0.5,
    );
  });
}

/**
 * `changes` ExoPhones flipped with one `UPDATE ... FROM unnest(...)` and as many outbox rows
 * written with one `INSERT ... SELECT FROM unnest(...)`, in one transaction, `rounds` times
 * (alternating states, so every round changes every row). Milliseconds per round.
 */
export function setBasedApplyFloor(changes: number, rounds = 3): Promise<number[]> {
  return withScratchSchema(async (client, schema) => {
    await client.query(
      `CREATE TABLE ${schema}.health (sid text PRIMARY KEY, outgoing text NOT NULL, changed_at timestamptz NOT NULL)`,
    );
    await client.query(
      `CREATE TABLE ${schema}.outbox (id bigserial PRIMARY KEY, topic text NOT NULL, key text NOT NULL, ` +
        'payload jsonb NOT NULL, created_at timestamptz DEFAULT now())',
    );
    const sids = Array.from({ length: changes }, (_, i) => `0${8000000000 + i}`);
    await client.query(`INSERT INTO ${schema}.health SELECT s, 'active', now() FROM unnest($1::text[]) s`, [
      sids,
    ]);
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const state = round % 2 === 0 ? 'major_outage' : 'active';
      const started = performance.now();
      await client.query('BEGIN');
      const changed = await client.query<{ sid: string }>(
        `UPDATE ${schema}.health h SET outgoing = $2, changed_at = now() FROM unnest($1::text[]) u(sid) ` +
          'WHERE h.sid = u.sid AND h.outgoing <> $2 RETURNING h.sid',
        [sids, state],
      );
      await client.query(
        `INSERT INTO ${schema}.outbox (topic, key, payload) SELECT 'exotel.exophones', sid, ` +
          "jsonb_build_object('type', 'exophone.health_changed', 'sid', sid, 'direction', 'outgoing', 'state', $2::text) " +
          'FROM unnest($1::text[]) sid',
        [changed.rows.map((row) => row.sid), state],
      );
      await client.query('COMMIT');
      times.push(performance.now() - started);
    }
    return times;
  });
}
