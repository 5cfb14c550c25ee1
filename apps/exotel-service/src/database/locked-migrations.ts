import { DataSource, type DataSourceOptions } from 'typeorm';

/**
 * Opens the service's database and, on PostgreSQL, runs the pending migrations under a session
 * advisory lock, so replicas starting together on an empty database take turns: the first runs the
 * migrations, the others wait, then find nothing pending. (TypeORM's own `migrationsRun` has no such
 * lock; two replicas both create the migrations table and the first migration's types, and one fails.)
 * The lock is per schema: replicas sharing a schema wait for each other, other schemas do not.
 */
export async function openWithLockedMigrations(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource({ ...options, migrationsRun: false });
  await dataSource.initialize();
  if (options.type !== 'postgres' || !options.migrationsRun) return dataSource;
  try {
    await runLockedMigrations(dataSource);
    return dataSource;
  } catch (error) {
    // TypeORM's retry opens a new data source; this one must not keep its pool open.
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
}

/** Runs `dataSource`'s pending migrations while holding the schema's migration lock. */
async function runLockedMigrations(dataSource: DataSource): Promise<void> {
  // A session lock lives on one connection: this runner holds it while the migrations run on
  // another, and releases it (or the connection's end does) whatever happens.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  const key = "hashtext('exotel-service.migrations:' || current_schema())";
  try {
    await runner.query(`SELECT pg_advisory_lock(${key})`);
    try {
      await dataSource.runMigrations();
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(${key})`);
    }
  } finally {
    await runner.release();
  }
}
