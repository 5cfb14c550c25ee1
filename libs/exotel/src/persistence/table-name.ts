import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The escaped, schema-qualified table name of an entity, for the few raw SQL statements the
 * library needs (TypeORM has no portable upsert-returning or update-returning-claim).
 */
export function tableName(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): string {
  const metadata = manager.connection.getMetadata(entity);
  const escape = (name: string) => manager.connection.driver.escape(name);
  return metadata.schema
    ? `${escape(metadata.schema)}.${escape(metadata.tableName)}`
    : escape(metadata.tableName);
}
