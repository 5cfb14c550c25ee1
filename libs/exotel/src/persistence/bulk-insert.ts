import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { postgresTypeOf } from './postgres-column-types';
import { tableName } from './table-name';

/** Turns a conflicting insert into an update of some columns. */
export interface OnConflictUpdate {
  /** Property names of the unique key. */
  readonly key: readonly string[];
  /** Property names to overwrite with the new values. */
  readonly update: readonly string[];
}

// Bound parameters per SQLite statement, well inside its limit (32766).
const MAX_PARAMETERS = 20_000;
// Rows per PostgreSQL statement: bounds the size of each array parameter.
const POSTGRES_ROWS_PER_STATEMENT = 10_000;
// Up to this many rows, PostgreSQL gets a plain VALUES list: for a few rows it parses and plans in
// a fraction of the time of the array form, whose cost is per column, not per row.
const POSTGRES_VALUES_ROWS = 8;

/** One PostgreSQL INSERT and its parameters, numbered from a given `$n`. */
export interface InsertStatement {
  readonly sql: string;
  readonly parameters: unknown[];
}

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
  if (connection.options.type === 'postgres') {
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
      const statement = postgresInsert(
        manager,
        entity,
        rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT),
        1,
        onConflict,
      );
      await manager.query(statement.sql, statement.parameters);
    }
    return;
  }
  const driver = connection.driver;
  const metadata = connection.getMetadata(entity);
  const columns = metadata.columns.filter((column) => !column.isGenerated);
  const suffix = conflictClause(manager, entity, onConflict);
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  const head = `INSERT INTO ${tableName(manager, entity)} (${names}) VALUES `;
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    // better-sqlite3 is synchronous: let the event loop answer other requests (probes, webhook
    // acknowledgements) between chunks of a large insert.
    if (start > 0) await yieldToEventLoop();
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(start, start + perChunk)) {
      const placeholders = columns.map((column) => {
        parameters.push(driver.preparePersistentValue(column.getEntityValue(row), column) as unknown);
        // SQLite keeps jsonb columns in its binary JSON format, which TypeORM writes through jsonb().
        return column.type === 'jsonb' ? 'jsonb(?)' : '?';
      });
      tuples.push(`(${placeholders.join(', ')})`);
    }
    await manager.query(head + tuples.join(', ') + suffix, parameters);
  }
}

/**
 * The PostgreSQL INSERT of `rows` (at most 10,000) with its parameters numbered from
 * `$firstParameter`, for a caller that embeds it in a larger statement (a data-modifying CTE).
 */
export function postgresInsert<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
  firstParameter = 1,
  onConflict?: OnConflictUpdate,
): InsertStatement {
  if (rows.length > POSTGRES_ROWS_PER_STATEMENT)
    throw new Error(`One INSERT takes at most ${POSTGRES_ROWS_PER_STATEMENT} rows, not ${rows.length}`);
  const driver = manager.connection.driver;
  const metadata = manager.connection.getMetadata(entity);
  const columns = metadata.columns.filter((column) => !column.isGenerated);
  const table = tableName(manager, entity);
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  const suffix = conflictClause(manager, entity, onConflict);
  const valueOf = (row: T, column: (typeof columns)[number]) => {
    const value = driver.preparePersistentValue(column.getEntityValue(row), column) as unknown;
    // ISO 8601 with its Z is exact for timestamptz and cheaper than node-postgres' local form.
    return value instanceof Date ? value.toISOString() : value;
  };
  if (rows.length <= POSTGRES_VALUES_ROWS) {
    const parameters: unknown[] = [];
    const tuples = rows.map(
      (row) =>
        `(${columns
          .map((column) => {
            parameters.push(valueOf(row, column));
            return `$${firstParameter + parameters.length - 1}`;
          })
          .join(', ')})`,
    );
    return { sql: `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')}${suffix}`, parameters };
  }
  // One parameter per column, expanded in lockstep by ROWS FROM: PostgreSQL binds a handful of
  // parameters instead of one per value, several times faster than a multi-row VALUES list.
  // JSON columns travel as one JSON array (jsonb_array_elements): node-postgres' escaping of a
  // text array of JSON documents costs more than the insert itself.
  const json = columns.map((column) =>
    column.type === 'jsonb' ? 'jsonb' : column.type === 'json' ? 'json' : undefined,
  );
  const sources = columns.map((column, i) => {
    const kind = json[i];
    const parameter = `$${firstParameter + i}`;
    return kind
      ? `${kind}_array_elements(${parameter}::${kind})`
      : `unnest(${parameter}::${postgresTypeOf(column, driver)}[])`;
  });
  const aliases = columns.map((_, i) => `c${i}`);
  // A JSON null element is SQL NULL, as TypeORM stores a null JSON column (json has no equality,
  // so the test is on the type).
  const selected = aliases.map((alias, i) => {
    const kind = json[i];
    return kind ? `CASE WHEN ${kind}_typeof(${alias}) = 'null' THEN NULL ELSE ${alias} END` : alias;
  });
  const parameters = columns.map((column, i) => {
    const values = rows.map((row) => valueOf(row, column));
    // The driver prepared each JSON value as its JSON text already.
    return json[i] ? `[${values.map((v) => (typeof v === 'string' ? v : 'null')).join(',')}]` : values;
  });
  return {
    sql:
      `INSERT INTO ${table} (${names}) SELECT ${selected.join(', ')} ` +
      `FROM ROWS FROM (${sources.join(', ')}) AS u(${aliases.join(', ')})${suffix}`,
    parameters,
  };
}

/** ` ON CONFLICT (...) DO UPDATE SET ...` for `onConflict`, or nothing. */
function conflictClause<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  onConflict?: OnConflictUpdate,
): string {
  if (!onConflict) return '';
  const metadata = manager.connection.getMetadata(entity);
  const columnOf = (property: string) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column ${property}`);
    return manager.connection.driver.escape(column.databaseName);
  };
  const sets = onConflict.update.map((property) => `${columnOf(property)} = excluded.${columnOf(property)}`);
  return ` ON CONFLICT (${onConflict.key.map(columnOf).join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
}

/** Resolves after the event loop has had a turn (pending I/O callbacks run first). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
