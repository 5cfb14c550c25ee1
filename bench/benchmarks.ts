import { heartbeatIngestBenchmark } from './heartbeat-ingest.bench';
import { outboxRelayBenchmark } from './outbox-relay.bench';
import { simulatorConnectBenchmark } from './simulator-connect.bench';
import { voiceStreamsBenchmark } from './voice-streams.bench';
import { callsConnectBenchmark } from './calls-connect.bench';
import { callQueueBenchmark } from './call-queue.bench';
import { consoleFleetBenchmark } from './console-fleet.bench';

/** A benchmark `npm run bench` can run. */
export interface Benchmark {
  readonly name: string;
  readonly description: string;
  run(): Promise<void>;
}

/** Every benchmark, in the order `npm run bench` runs them. */
export const BENCHMARKS: readonly Benchmark[] = [
  simulatorConnectBenchmark,
  outboxRelayBenchmark,
  heartbeatIngestBenchmark,
  voiceStreamsBenchmark,
  callsConnectBenchmark,
  callQueueBenchmark,
  consoleFleetBenchmark,
];
