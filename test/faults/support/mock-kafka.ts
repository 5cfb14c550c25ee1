import { startMockKafkaCluster, type MockKafkaCluster } from '../../support/kafka-mock-cluster';
import { TopicReader } from '../../support/kafka';

/** librdkafka's mock cluster (kcat) that a scenario can freeze: a broker that accepts and never answers. */
export interface FreezableKafka extends MockKafkaCluster {
  /** SIGSTOP: connections still open (the kernel accepts them), no request is ever answered. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
}

export async function startFreezableKafka(): Promise<FreezableKafka> {
  const cluster = await startMockKafkaCluster();
  return {
    ...cluster,
    freeze: () => process.kill(cluster.pid, 'SIGSTOP'),
    thaw: () => process.kill(cluster.pid, 'SIGCONT'),
    stop: async () => {
      process.kill(cluster.pid, 'SIGCONT');
      await cluster.stop();
    },
  };
}

/** How the ids an outbox holds compare with what reached Kafka. */
export interface KafkaTally {
  readonly outboxRows: number;
  readonly distinctOnKafka: number;
  readonly messagesOnKafka: number;
  readonly lost: string[];
  readonly strangers: string[];
}

/**
 * Reads `topics` from the beginning until every id in `ids` is there (a hang guard of
 * `timeoutMs`), and tallies the `ce_id` headers against them.
 */
export async function tallyKafka(
  brokers: string,
  topics: string[],
  ids: readonly string[],
  timeoutMs = 60_000,
): Promise<KafkaTally> {
  const reader = await new TopicReader(topics, brokers.split(',')).start();
  const seen = () => new Set(reader.messages.map((m) => m.headers?.ce_id?.toString() ?? ''));
  try {
    await reader
      .waitFor(() => {
        const got = seen();
        return ids.every((id) => got.has(id));
      }, timeoutMs)
      .catch(() => undefined);
    const got = seen();
    const expected = new Set(ids);
    return {
      outboxRows: ids.length,
      distinctOnKafka: got.size,
      messagesOnKafka: reader.messages.length,
      lost: ids.filter((id) => !got.has(id)),
      strangers: [...got].filter((id) => !expected.has(id)),
    };
  } finally {
    await reader.stop();
  }
}
