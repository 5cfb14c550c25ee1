import type { EntityManager } from 'typeorm';
import type { InsertStatement } from '../persistence/bulk-insert';
import { tableName } from '../persistence/table-name';
import { familyOf } from './event-families';
import { EventSequenceEntity } from './event-sequence.entity';
import { countAggregates, handOutSequences } from './sequence-handout';
import type { ExotelEvent } from './exotel-event';
import { OutboxEventEntity } from './outbox-event.entity';

/** What the PostgreSQL publish writes of an envelope; the other columns take their defaults. */
type OutboxRowInput = Pick<ExotelEvent, 'id' | 'type' | 'subject' | 'time' | 'data'>;

/** `$n` of a companion insert's first parameter (the publish itself takes eight). */
export const COMPANION_FIRST_PARAMETER = 9;

// Rows per statement: bounds each array parameter (a 10 MB heartbeat publishes 50,000 events).
const ROWS_PER_STATEMENT = 25_000;

// One statement reserves the sequence numbers and inserts the rows. The counters are created or
// advanced in aggregate order (concurrent publishers lock them in the same order, so they cannot
// deadlock, and the row locks order publishers of one aggregate); each row takes the next number
// of its aggregate in input order, and rows are inserted in input order, so `position` follows it.
// The statement returns each aggregate's last number, from which the caller numbers its envelopes
// the same way. A companion INSERT (parameters from $9) may run first, in the same statement.
const PUBLISH = (outbox: string, sequences: string, companion?: string) => `
WITH ${companion ? `companion AS (${companion} RETURNING 1), ` : ''}input AS (
  SELECT u.id, u.type, u.family, u.subject, u.time, u.data, u.ord, u.family || ':' || u.subject AS aggregate
  FROM ROWS FROM (
    unnest($1::varchar[]), unnest($2::varchar[]), unnest($3::varchar[]), unnest($4::varchar[]),
    unnest($5::timestamptz[]), jsonb_array_elements($6::jsonb)
  ) WITH ORDINALITY AS u(id, type, family, subject, time, data, ord)
), counts AS (
  SELECT aggregate, count(*)::integer AS n FROM input GROUP BY aggregate
), reserved AS (
  INSERT INTO ${sequences} AS s (aggregate, last_sequence)
  SELECT aggregate, n FROM counts ORDER BY aggregate
  ON CONFLICT (aggregate) DO UPDATE SET last_sequence = s.last_sequence + excluded.last_sequence
  RETURNING aggregate, last_sequence
), inserted AS (
  INSERT INTO ${outbox} (id, type, source, family, subject, sequence, time, data, created_at, publish_attempts)
  SELECT i.id, i.type, $7, i.family, i.subject,
    r.last_sequence - c.n + row_number() OVER (PARTITION BY i.aggregate ORDER BY i.ord),
    i.time, i.data, $8, 0
  FROM input i JOIN counts c USING (aggregate) JOIN reserved r USING (aggregate)
  ORDER BY i.ord
  RETURNING 1
)
SELECT r.aggregate, r.last_sequence, (SELECT count(*) FROM inserted) AS inserted FROM reserved r`;

/**
 * Writes outbox rows on PostgreSQL in one statement per 25,000 rows, sequence numbers included:
 * a handful of array parameters instead of a value per column and row, and no separate round trip
 * for the counters. A `companion` insert (its parameters numbered from `$9`) runs in the first
 * statement, so rows and events can commit in one round trip; with one, the rows must fit one
 * statement. Resolves to the sequence number of each row, in input order.
 */
export async function insertOutboxRowsOnPostgres(
  manager: EntityManager,
  rows: readonly OutboxRowInput[],
  source: string,
  createdAt: Date,
  companion?: InsertStatement,
): Promise<number[]> {
  const outbox = tableName(manager, OutboxEventEntity);
  const counters = tableName(manager, EventSequenceEntity);
  if (companion && rows.length > ROWS_PER_STATEMENT)
    throw new Error(
      `Rows written with a companion insert fit one statement (${ROWS_PER_STATEMENT}), not ${rows.length}`,
    );
  const sequences: number[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const sql = PUBLISH(outbox, counters, start === 0 ? companion?.sql : undefined);
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const families = chunk.map((row) => familyOf(row.type));
    const aggregates = chunk.map((row, i) => `${families[i]}:${row.subject}`);
    const reserved: { aggregate: string; last_sequence: number | string; inserted: number | string }[] =
      await manager.query(sql, [
        chunk.map((row) => row.id),
        chunk.map((row) => row.type),
        families,
        chunk.map((row) => row.subject),
        chunk.map((row) => row.time),
        JSON.stringify(chunk.map((row) => row.data)),
        source,
        createdAt.toISOString(),
        ...(start === 0 ? (companion?.parameters ?? []) : []),
      ]);
    if (Number(reserved[0]?.inserted) !== chunk.length)
      throw new Error(`Outbox insert wrote ${String(reserved[0]?.inserted)} of ${chunk.length} rows`);
    const next = handOutSequences(
      countAggregates(aggregates),
      reserved.map((r) => ({ aggregate: r.aggregate, last: Number(r.last_sequence) })),
    );
    for (const aggregate of aggregates) sequences.push(next(aggregate));
  }
  return sequences;
}
