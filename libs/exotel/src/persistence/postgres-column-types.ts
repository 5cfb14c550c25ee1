import type { DataSource, Driver } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * TypeORM entity metadata cannot name a column type per database: `timestamptz` does not exist on
 * SQLite, and SQLite's AUTOINCREMENT only works on `integer`. Entities therefore declare the portable
 * types (`Date`, `integer`), and the PostgreSQL schema widens them:
 *
 * - every `Date` column becomes `timestamp with time zone` (instants, never local wall-clock times);
 * - generated integer keys become `bigint` (an outbox can outlive 2^31 events).
 *
 * This adjusts the metadata of one DataSource instance (never the global metadata storage) so the
 * migration generator writes, and the drift check expects, the widened types. At run time both
 * forms behave the same: node-postgres sends instants with their offset and reads them back exactly.
 */
export function widenColumnTypesForPostgres(dataSource: DataSource): void {
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      if (column.type === Date || column.type === 'timestamp') column.type = 'timestamp with time zone';
      if (column.isGenerated && column.generationStrategy === 'increment' && column.type === 'integer') {
        column.type = 'bigint';
      }
    }
  }
}

/** The PostgreSQL type a column holds in the migrated schema (instants widened as above). */
export function postgresTypeOf(column: ColumnMetadata, driver: Driver): string {
  if (column.type === Date || column.type === 'timestamp') return 'timestamp with time zone';
  return driver.normalizeType(column);
}
