import { startFreezableKafka, type FreezableKafka } from '../../faults/support/mock-kafka';
import { createPrivateDatabase, type PrivateDatabase } from '../../faults/support/private-database';
import { ServiceProcess } from '../../faults/support/service-process';
import { SimulatorProcess } from '../../faults/support/simulator-process';

/** Three replicas of the service on one database and one Kafka, against one standalone simulator. */
export interface Fleet {
  readonly database: PrivateDatabase;
  readonly kafka: FreezableKafka;
  readonly simulator: SimulatorProcess;
  readonly replicas: ServiceProcess[];
  readonly topicPrefix: string;
  stop(): Promise<void>;
}

/** A request the simulator recorded (the fields the suite reads). */
export interface SimRequest {
  readonly endpoint?: string;
  readonly status?: number;
  readonly at: number;
  readonly form?: Record<string, string | string[]>;
}

/** Starts the fleet: every replica at the same instant, on an empty database. */
export async function startFleet(options: {
  readonly replicas: number;
  readonly voicePerMinute: number;
  readonly env?: Record<string, string>;
}): Promise<Fleet> {
  const database = await createPrivateDatabase();
  const kafka = await startFreezableKafka();
  const simulator = await SimulatorProcess.start({
    exoPhones: 8,
    rateLimits: true,
    voicePerMinute: options.voicePerMinute,
  });
  const topicPrefix = 'replicas';
  const replicas = await Promise.all(
    Array.from({ length: options.replicas }, (_, i) =>
      ServiceProcess.start(
        {
          exotelBaseUrl: simulator.baseUrl,
          databaseUrl: database.url,
          kafkaBrokers: kafka.bootstrapServers,
          topicPrefix,
          env: { EXOTEL_VOICE_REQUESTS_PER_MINUTE: String(options.voicePerMinute), ...options.env },
        },
        undefined,
        `replica-${i}`,
      ),
    ),
  );
  return {
    database,
    kafka,
    simulator,
    replicas,
    topicPrefix,
    async stop() {
      await Promise.allSettled(replicas.filter((r) => r.process.running).map((r) => r.stop()));
      await simulator.stop().catch(() => undefined);
      await kafka.stop().catch(() => undefined);
      await database.drop().catch(() => undefined);
    },
  };
}

/** The Calls/connect requests the simulator received. */
export async function connectsOf(simulator: SimulatorProcess): Promise<SimRequest[]> {
  const requests = await simulator.control<SimRequest[]>('GET', '/requests');
  return requests.filter((r) => r.endpoint === 'connect');
}

/** The most requests in any `windowMs`, by their arrival at the simulator. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
