import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import type { DataSource, EntityManager } from 'typeorm';

/** The database families the library supports. */
export type ExotelDialect = 'postgres' | 'sqlite';

const SQLITE_TYPES = new Set([
  'better-sqlite3',
  'sqlite',
  'sqljs',
  'capacitor',
  'cordova',
  'expo',
  'nativescript',
  'react-native',
]);

/**
 * The one way the library touches the database.
 *
 * On PostgreSQL it is a thin wrapper over `DataSource.transaction`. On SQLite, TypeORM runs every
 * query on a single connection and does not serialize transactions: two overlapping transactions
 * fail or, worse, write into each other. So on SQLite all work is queued behind one mutex. Do not
 * call `transaction` or `read` from inside another `transaction`/`read`: that waits on itself.
 *
 * Listeners registered with `onCommit` run after each committed transaction that wrote events
 * (`noteEventsWritten`): the outbox relay and the console's feed use it to deliver new events
 * without waiting for their next poll. Commits that wrote none (the relay's own claims and marks,
 * a job's lease) wake nobody, so an idle replica stays idle.
 */
@Injectable()
export class ExotelDatabase {
  readonly dialect: ExotelDialect;
  private readonly serial?: Mutex;
  private readonly commitListeners = new Set<() => void>();
  // Transactions (by their manager) that wrote events; weak, so a rolled-back one is forgotten.
  private readonly wroteEvents = new WeakSet<EntityManager>();

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.dialect = SQLITE_TYPES.has(dataSource.options.type) ? 'sqlite' : 'postgres';
    if (this.dialect === 'sqlite') this.serial = new Mutex();
  }

  /** Runs `work` in a transaction; once it committed, notifies commit listeners if it wrote events. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let written = false;
    const result = await this.exclusive(() =>
      this.dataSource.transaction(async (manager) => {
        const value = await work(manager);
        written = this.wroteEvents.has(manager);
        return value;
      }),
    );
    if (written) for (const listener of this.commitListeners) listener();
    return result;
  }

  /** Notes that `manager`'s transaction wrote events, so its commit wakes the commit listeners. */
  noteEventsWritten(manager: EntityManager): void {
    this.wroteEvents.add(manager);
  }

  /**
   * Runs `work`, which issues exactly one statement, outside an explicit transaction (on
   * PostgreSQL the statement commits itself: one round trip instead of BEGIN, the statement and
   * COMMIT); once it committed, notifies commit listeners if it wrote events. On SQLite it runs
   * as a transaction, in turn with the others.
   */
  async statement<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect !== 'postgres') return this.transaction(work);
    // A manager of its own: whether it wrote events is this statement's alone.
    const manager = this.dataSource.createEntityManager();
    const result = await work(manager);
    if (this.wroteEvents.has(manager)) for (const listener of this.commitListeners) listener();
    return result;
  }

  /** Runs read-only (or single-statement) work outside an explicit transaction. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => work(this.dataSource.manager));
  }

  /**
   * Makes every transaction that locks the same `key` wait for this one to end, across replicas
   * (a PostgreSQL transaction-scoped advisory lock). SQLite runs one transaction at a time anyway,
   * so there it does nothing. Use it for read-modify-write work that must not interleave.
   */
  async lockUntilCommit(manager: EntityManager, key: string): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
  }

  /** Calls `listener` after every committed transaction that wrote events; returns a function that unsubscribes. */
  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    return this.serial ? this.serial.runExclusive(work) : work();
  }
}
