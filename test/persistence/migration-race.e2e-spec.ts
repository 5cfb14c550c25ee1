import { EXOTEL_MIGRATIONS } from 'nestjs-exotel';
import { Client } from 'pg';
import { TEST_POSTGRES_URL } from '../support/postgres';
import { createTestDatabase } from '../support/test-database';
import { startTestService, type TestService } from '../support/test-service';

const ROUNDS = 5;

// Two replicas deployed together start at the same instant on an empty database: their migrations
// must not race (one used to fail with `relation "exotel_service_migrations" already exists`, saved
// only by TypeORM's connection retry). PostgreSQL only: SQLite is one process's database.
describe('replicas starting together on an empty PostgreSQL database', () => {
  it(`both come up with no error logged, ${ROUNDS} times in a row`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const database = await createTestDatabase('postgres');
      const replicas: TestService[] = [];
      try {
        const started = await Promise.allSettled([
          startTestService({ database }),
          startTestService({ database }),
        ]);
        for (const result of started) if (result.status === 'fulfilled') replicas.push(result.value);
        expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
        for (const replica of replicas) {
          const errors = replica.logs
            .lines()
            .filter((line) => line.level === 'error' || line.level === 'fatal' || line.level === 'warn');
          expect(
            errors.filter((line) => /migrat|already exists|database/i.test(JSON.stringify(line))),
          ).toEqual([]);
          expect(errors.filter((line) => line.level !== 'warn')).toEqual([]);
          expect((await fetch(`${replica.url}/health/ready`)).status).toBe(200);
        }
        expect(await appliedMigrations(database.isolation.schema!)).toEqual(EXOTEL_MIGRATIONS.length);
      } finally {
        await Promise.all(replicas.map((replica) => replica.close()));
        await database.drop();
      }
    }
  });
});

async function appliedMigrations(schema: string): Promise<number> {
  const client = new Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM "${schema}".exotel_service_migrations`,
    );
    return Number(rows[0].count);
  } finally {
    await client.end();
  }
}
