import { startMockKafkaCluster, type MockKafkaCluster } from './kafka-mock-cluster';
import { ensurePostgres } from './postgres';

declare global {
  var __MOCK_KAFKA__: MockKafkaCluster | undefined;
}

/**
 * Jest global setup: PostgreSQL must answer, and a Kafka wire protocol must be there — a real
 * cluster from `KAFKA_BROKERS`, else librdkafka's mock cluster started from `kcat`. The suites
 * read the brokers from `TEST_KAFKA_BROKERS`.
 */
export default async function globalSetup(): Promise<void> {
  await ensurePostgres();
  if (process.env.KAFKA_BROKERS) {
    process.env.TEST_KAFKA_BROKERS = process.env.KAFKA_BROKERS;
    return;
  }
  const cluster = await startMockKafkaCluster();
  globalThis.__MOCK_KAFKA__ = cluster;
  process.env.TEST_KAFKA_BROKERS = cluster.bootstrapServers;
}
