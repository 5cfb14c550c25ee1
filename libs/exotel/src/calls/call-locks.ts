import type { EntityManager, FindOptionsWhere } from 'typeorm';
import type { RowsToWrite } from '../events/event-publisher';
import type { ExotelDialect } from '../persistence/exotel-database';
import { CallEntity } from './call.entity';

/**
 * Reads a call inside a transaction and, on PostgreSQL, locks its row until the transaction ends,
 * so the Calls/connect answer, status callbacks and the reconciliation job of every replica change
 * one call one at a time (SQLite already runs one transaction at a time).
 */
export function lockCall(
  manager: EntityManager,
  dialect: ExotelDialect,
  where: FindOptionsWhere<CallEntity>,
): Promise<CallEntity | null> {
  return manager.findOne(CallEntity, { where, ...rowLock(dialect) });
}

/**
 * `lockCall` for several rows at once (one round trip): the rows matching any of `where`, locked
 * on PostgreSQL until the transaction ends, in the order of their ids (two transactions locking
 * overlapping sets queue rather than deadlock).
 */
export function lockCalls(
  manager: EntityManager,
  dialect: ExotelDialect,
  where: FindOptionsWhere<CallEntity>[],
): Promise<CallEntity[]> {
  return manager.find(CallEntity, { where, order: { id: 'ASC' }, ...rowLock(dialect) });
}

/**
 * Writes a call read with `lockCall` back: one UPDATE of every column but the key (no re-select and
 * diff, as `save()` does).
 */
export async function writeCall(manager: EntityManager, call: CallEntity): Promise<void> {
  const { id, ...columns } = call;
  await manager
    .createQueryBuilder()
    .update(CallEntity)
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc gives up (TS2589) on the JSON columns' deep-partial type
    .set(columns as never)
    .where('id = :id', { id })
    .updateEntity(false)
    .execute();
}

/**
 * Calls read with `lockCalls`, to write back with their events: an upsert on the key that always
 * finds the (locked) row, so every column but the key is overwritten.
 */
export function callsWriteBack(
  manager: EntityManager,
  calls: readonly CallEntity[],
): RowsToWrite<CallEntity> {
  const columns = manager.connection.getMetadata(CallEntity).columns.filter((column) => !column.isPrimary);
  return {
    entity: CallEntity,
    rows: calls,
    onConflict: { key: ['id'], update: columns.map((column) => column.propertyName) },
  };
}

/** The find option that locks the rows read until the transaction ends (PostgreSQL only). */
function rowLock(dialect: ExotelDialect) {
  return dialect === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {};
}
