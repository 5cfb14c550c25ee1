import { EXOTEL_ENTITIES, EXOTEL_MIGRATIONS } from 'nestjs-exotel';
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSettings } from '../config/service-config';

/** Extra settings tests use to isolate themselves in a PostgreSQL schema of their own. */
export interface DatabaseIsolation {
  /** PostgreSQL schema to create the tables in (it must exist). */
  readonly schema?: string;
}

/**
 * TypeORM options for the reference service.
 *
 * - PostgreSQL (production): the library's migrations run at start, one replica at a time
 *   (`openWithLockedMigrations`); the schema is never synchronized.
 * - SQLite (embedded default, a file under ./data): tables are synchronized from the entities, with
 *   WAL journaling. SQLite suits one process; run several replicas on PostgreSQL.
 */
export function databaseOptions(
  settings: DatabaseSettings,
  isolation: DatabaseIsolation = {},
): TypeOrmModuleOptions {
  const common = { entities: [...EXOTEL_ENTITIES], retryAttempts: 3, retryDelay: 1_000, logging: false };
  if (settings.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: settings.url,
      schema: isolation.schema,
      migrations: [...EXOTEL_MIGRATIONS],
      migrationsRun: true,
      migrationsTableName: 'exotel_service_migrations',
      synchronize: false,
      extra: {
        max: 10,
        connectionTimeoutMillis: 5_000,
        // Unqualified names in migrations resolve to the isolated schema.
        ...(isolation.schema ? { options: `-c search_path=${isolation.schema}` } : {}),
      },
    };
  }
  if (settings.path !== ':memory:') mkdirSync(dirname(settings.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.path,
    synchronize: true,
    prepareDatabase: (db: { pragma: (statement: string) => unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
    },
  };
}
