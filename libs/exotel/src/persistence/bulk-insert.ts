import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { tableName } from './table-name';

/** Turns a conflicting insert into an update of some columns. */
export interface OnConflictUpdate {
  /** Property names of the unique key. */
  readonly key: readonly string[];
  /** Property names to overwrite with the new values. */
  readonly update: readonly string[];
}

// Bound parameters per statement, well inside SQLite's (32766) and PostgreSQL's (65535) limits.
const MAX_PARAMETERS = 20_000;

/**
 * Inserts many entities with one multi-row statement per chunk. TypeORM's query builder costs tens
 * of microseconds per row, which a 10 MB heartbeat (tens of thousands of rows) cannot afford.
 * Values are prepared by the driver exactly as TypeORM would (dates, booleans, JSON), and
 * generated columns are left to the database.
 */
export async function bulkInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
  onConflict?: OnConflictUpdate,
): Promise<void> {
  if (rows.length === 0) return;
  const connection = manager.connection;
  const driver = connection.driver;
  const metadata = connection.getMetadata(entity);
  const columns = metadata.columns.filter((column) => !column.isGenerated);
  const postgres = connection.options.type === 'postgres';
  const escape = (name: string) => driver.escape(name);
  const columnOf = (property: string) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column ${property}`);
    return escape(column.databaseName);
  };
  let suffix = '';
  if (onConflict) {
    const sets = onConflict.update.map(
      (property) => `${columnOf(property)} = excluded.${columnOf(property)}`,
    );
    suffix = ` ON CONFLICT (${onConflict.key.map(columnOf).join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
  }
  const head = `INSERT INTO ${tableName(manager, entity)} (${columns.map((c) => escape(c.databaseName)).join(', ')}) VALUES `;
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, start + perChunk)) {
      const placeholders = columns.map((column) => {
        parameters.push(driver.preparePersistentValue(column.getEntityValue(row), column));
        const placeholder = postgres ? `$${parameters.length}` : '?';
        // SQLite keeps jsonb columns in its binary JSON format, which TypeORM writes through jsonb().
        return !postgres && column.type === 'jsonb' ? `jsonb(${placeholder})` : placeholder;
      });
      tuples.push(`(${placeholders.join(', ')})`);
    }
    await manager.query(head + tuples.join(', ') + suffix, parameters);
  }
}
