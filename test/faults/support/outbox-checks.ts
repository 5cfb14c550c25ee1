import { until } from '../../support/until';
import { tallyKafka, type KafkaTally } from './mock-kafka';
import type { PrivateDatabase } from './private-database';

/** Waits (hang guard `timeoutMs`) until every outbox row reached Kafka and the in-process handlers. */
export async function waitOutboxDelivered(database: PrivateDatabase, timeoutMs = 90_000): Promise<void> {
  await until(
    async () =>
      (await database.count(
        'select count(*) from exotel_outbox_events where published_at is null or dispatched_at is null',
      )) === 0,
    timeoutMs,
  ).catch(async (error: Error) => {
    const left = await database.query(
      'select count(*) filter (where published_at is null) as kafka, count(*) filter (where dispatched_at is null) as "inProcess" from exotel_outbox_events',
    );
    throw new Error(`${error.message}: undelivered ${JSON.stringify(left[0])}`);
  });
}

/** Every outbox id against the distinct `ce_id`s on the topics of their families. */
export async function outboxAgainstKafka(
  database: PrivateDatabase,
  brokers: string,
  topicPrefix: string,
): Promise<KafkaTally> {
  const rows = await database.query<{ id: string; family: string }>(
    'select id, family from exotel_outbox_events',
  );
  const topics = [...new Set(rows.map((row) => `${topicPrefix}.${row.family}`))];
  if (topics.length === 0)
    return { outboxRows: 0, distinctOnKafka: 0, messagesOnKafka: 0, lost: [], strangers: [] };
  const tally = await tallyKafka(
    brokers,
    topics,
    rows.map((row) => row.id),
  );
  if (tally.strangers.length === 0) return tally;
  // The service runs on while the topics are read: an event committed after the first read (a
  // job's, say) is on Kafka but not in that list. A stranger is an id the outbox still lacks.
  const now = new Set(
    (
      await database.query<{ id: string }>('select id from exotel_outbox_events where id = any($1)', [
        tally.strangers,
      ])
    ).map((row) => row.id),
  );
  // Those late rows count as outbox rows (they are, and they reached Kafka).
  return {
    ...tally,
    outboxRows: tally.outboxRows + now.size,
    strangers: tally.strangers.filter((id) => !now.has(id)),
  };
}
