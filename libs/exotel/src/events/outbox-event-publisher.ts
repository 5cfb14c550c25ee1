import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager, ObjectLiteral } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { familyOf } from './event-families';
import { EventPublisher, type RowsToWrite } from './event-publisher';
import {
  EXOTEL_EVENT_CATALOGUE,
  isCatalogued,
  type CataloguedEventInput,
  type ExotelEventCatalogue,
} from './event-catalogue';
import type { ExotelEvent } from './exotel-event';
import { EventSequenceEntity } from './event-sequence.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { COMPANION_FIRST_PARAMETER, insertOutboxRowsOnPostgres } from './outbox-insert-postgres';
import {
  bulkInsert,
  postgresInsert,
  yieldToEventLoop,
  type InsertStatement,
} from '../persistence/bulk-insert';
import { ExotelDatabase, type ExotelDialect } from '../persistence/exotel-database';
import { countAggregates, handOutSequences } from './sequence-handout';
import { tableName } from '../persistence/table-name';
import { ulidFactory } from '../persistence/ulid-factory';

// Aggregates per SQLite upsert: well inside its bound-parameter limit.
const CHUNK = 400;
// Rows (and events) that one self-committing PostgreSQL statement writes with its events.
const POSTGRES_COMPANION_ROWS = 1_000;

/** `EventPublisher` that writes to the transactional outbox (`exotel_outbox_events`). */
@Injectable()
export class OutboxEventPublisher extends EventPublisher {
  private readonly nextId = ulidFactory();

  constructor(
    @InjectExotelOptions('events') private readonly events: ResolvedExotelOptions['events'],
    private readonly clock: ExotelClock,
    @Inject(EXOTEL_EVENT_CATALOGUE) private readonly catalogue: ExotelEventCatalogue,
    private readonly db: ExotelDatabase,
  ) {
    super();
  }

  async publish(
    manager: EntityManager,
    input: CataloguedEventInput | readonly CataloguedEventInput[],
  ): Promise<ExotelEvent[]> {
    const inputs: readonly CataloguedEventInput[] = Array.isArray(input)
      ? input
      : [input as CataloguedEventInput];
    if (inputs.length === 0) return [];
    return this.write(manager, inputs);
  }

  /** On PostgreSQL, when they fit one statement, the rows are written by the publish's own. */
  override async publishWithRows<T extends ObjectLiteral>(
    manager: EntityManager,
    rows: RowsToWrite<T>,
    events: readonly CataloguedEventInput[],
  ): Promise<ExotelEvent[]> {
    if (!this.fitsOneStatement(this.db.dialect, rows, events))
      return super.publishWithRows(manager, rows, events);
    return this.write(
      manager,
      events,
      postgresInsert(manager, rows.entity, rows.rows, COMPANION_FIRST_PARAMETER, rows.onConflict),
    );
  }

  /** When rows and events fit one statement, it commits itself: no BEGIN, no COMMIT. */
  override insertAndPublish<T extends ObjectLiteral>(
    db: ExotelDatabase,
    rows: RowsToWrite<T>,
    events: readonly CataloguedEventInput[],
  ): Promise<ExotelEvent[]> {
    if (!this.fitsOneStatement(db.dialect, rows, events)) return super.insertAndPublish(db, rows, events);
    return db.statement((manager) => this.publishWithRows(manager, rows, events));
  }

  private fitsOneStatement(
    dialect: ExotelDialect,
    rows: RowsToWrite<ObjectLiteral>,
    events: readonly CataloguedEventInput[],
  ): boolean {
    return (
      dialect === 'postgres' &&
      rows.rows.length > 0 &&
      rows.rows.length <= POSTGRES_COMPANION_ROWS &&
      events.length > 0 &&
      events.length <= POSTGRES_COMPANION_ROWS
    );
  }

  /**
   * Checks `inputs` against the catalogue and writes them (on PostgreSQL with `companion` in the
   * same statement); the commit then wakes the commit listeners.
   */
  private async write(
    manager: EntityManager,
    inputs: readonly CataloguedEventInput[],
    companion?: InsertStatement,
  ): Promise<ExotelEvent[]> {
    for (const event of inputs) assertCatalogued(this.catalogue, event);
    const now = this.clock.now();
    const envelopes =
      this.db.dialect === 'postgres'
        ? await this.publishOnPostgres(manager, inputs, now, companion)
        : await this.publishRows(manager, inputs, now);
    this.db.noteEventsWritten(manager);
    return envelopes;
  }

  /**
   * PostgreSQL: the counters and the rows in one statement (`insertOutboxRowsOnPostgres`). Each
   * event's envelope is built once, written from, and numbered in place.
   */
  private async publishOnPostgres(
    manager: EntityManager,
    inputs: readonly CataloguedEventInput[],
    now: Date,
    companion?: InsertStatement,
  ): Promise<ExotelEvent[]> {
    const source = this.events.source;
    const nowText = now.toISOString();
    const envelopes = inputs.map((event): Mutable<ExotelEvent> => ({
      specversion: '1.0',
      id: this.nextId(now.getTime()),
      source,
      type: event.type,
      subject: event.subject,
      time: event.time ? event.time.toISOString() : nowText,
      datacontenttype: 'application/json',
      sequence: 0,
      data: event.data,
    }));
    const sequences = await insertOutboxRowsOnPostgres(manager, envelopes, source, now, companion);
    for (let i = 0; i < envelopes.length; i++) envelopes[i].sequence = sequences[i];
    return envelopes;
  }

  /** SQLite: the counters advanced by one upsert per chunk, then one multi-row insert per chunk. */
  private async publishRows(
    manager: EntityManager,
    inputs: readonly CataloguedEventInput[],
    now: Date,
  ): Promise<ExotelEvent[]> {
    const aggregates = inputs.map((event) => `${familyOf(event.type)}:${event.subject}`);
    const next = await this.reserveSequences(manager, aggregates);
    // Plain construction: TypeORM's create() costs microseconds a row, and a heartbeat publishes 50,000.
    const rows = inputs.map((event, i) =>
      Object.assign(new OutboxEventEntity(), {
        id: this.nextId(now.getTime()),
        type: event.type,
        source: this.events.source,
        family: familyOf(event.type),
        subject: event.subject,
        sequence: next(aggregates[i]),
        time: event.time ?? now,
        data: event.data,
        createdAt: now,
        dispatchedAt: null,
        publishedAt: null,
        dispatchClaimedBy: null,
        dispatchClaimExpiresAt: null,
        publishClaimedBy: null,
        publishClaimExpiresAt: null,
        publishAttempts: 0,
        lastPublishError: null,
      } satisfies Omit<OutboxEventEntity, 'position'>),
    );
    await bulkInsert(manager, OutboxEventEntity, rows);
    return rows.map(toEnvelope);
  }

  /**
   * Reserves sequence numbers for every aggregate in `aggregates` (one per occurrence) and returns
   * a function handing them out in order. One multi-row upsert per chunk creates or advances each
   * counter and returns it; aggregates are sorted so concurrent publishers lock counters in the
   * same order (no deadlocks), and the row locks order publishers of the same aggregate.
   */
  private async reserveSequences(
    manager: EntityManager,
    aggregates: readonly string[],
  ): Promise<(aggregate: string) => number> {
    const counts = countAggregates(aggregates);
    const sorted = [...counts.keys()].sort();
    const table = tableName(manager, EventSequenceEntity);
    const reserved: { aggregate: string; last: number }[] = [];
    const upsert = (values: string) =>
      `INSERT INTO ${table} AS s (aggregate, last_sequence) ${values} ` +
      'ON CONFLICT (aggregate) DO UPDATE SET last_sequence = s.last_sequence + excluded.last_sequence ' +
      'RETURNING aggregate, last_sequence';
    for (let i = 0; i < sorted.length; i += CHUNK) {
      if (i > 0) await yieldToEventLoop();
      const chunk = sorted.slice(i, i + CHUNK);
      const parameters: Record<string, string | number> = {};
      const values = chunk.map((aggregate, j) => {
        parameters[`a${j}`] = aggregate;
        parameters[`n${j}`] = counts.get(aggregate)!;
        return `(:a${j}, :n${j})`;
      });
      const [sql, bound] = manager.connection.driver.escapeQueryWithParameters(
        upsert(`VALUES ${values.join(', ')}`),
        parameters,
      );
      const rows: { aggregate: string; last_sequence: number | string }[] = await manager.query(sql, bound);
      for (const row of rows) reserved.push({ aggregate: row.aggregate, last: Number(row.last_sequence) });
    }
    return handOutSequences(counts, reserved);
  }
}

function assertCatalogued(catalogue: ExotelEventCatalogue, event: CataloguedEventInput): void {
  if (!isCatalogued(catalogue, event.type))
    throw new Error(`Event type ${String(event.type)} is not in the event catalogue`);
  const checked = catalogue[event.type].safeParse(event.data);
  if (!checked.success) {
    const issues = checked.error.issues
      .map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`)
      .join('; ');
    throw new Error(`Event ${event.type} for ${event.subject} does not match its schema: ${issues}`);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The CloudEvents envelope of an outbox row. */
export function toEnvelope(
  row: Pick<OutboxEventEntity, 'id' | 'source' | 'type' | 'subject' | 'time' | 'sequence' | 'data'>,
): ExotelEvent {
  return {
    specversion: '1.0',
    id: row.id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    time: row.time.toISOString(),
    datacontenttype: 'application/json',
    sequence: row.sequence,
    data: row.data,
  };
}
