import { spawn, type ChildProcess } from 'node:child_process';

/** A running librdkafka mock cluster. */
export interface MockKafkaCluster {
  readonly bootstrapServers: string;
  /** The kcat process holding the cluster (the fault suite freezes it with SIGSTOP/SIGCONT). */
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts librdkafka's in-memory mock cluster through Debian's `kcat` (a consumer of a throwaway
 * topic keeps it alive) and resolves with its bootstrap servers, printed by kcat on stderr. The
 * mock supports produce, fetch and consumer groups; it has no admin CreateTopics and no idempotent
 * producer, and auto-creates topics on first use.
 */
export function startMockKafkaCluster(brokers = 1): Promise<MockKafkaCluster> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(
        'kcat',
        [
          '-b',
          'localhost:1',
          '-X',
          `test.mock.num.brokers=${brokers}`,
          '-X',
          'debug=mock',
          '-C',
          '-t',
          '__mock_keepalive',
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    let found = false;
    let buffered = '';
    const timer = setTimeout(() => {
      if (!found) {
        child.kill('SIGKILL');
        reject(new Error('kcat did not print the mock cluster bootstrap servers within 10 s'));
      }
    }, 10_000);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'kcat is not installed; the Kafka tests need it (apt-get install -y kcat), or set KAFKA_BROKERS to a real cluster',
            )
          : error,
      );
    });
    // The mock logs every request with debug=mock; keep reading so kcat never blocks on a full pipe.
    child.stderr!.on('data', (chunk: Buffer) => {
      if (found) return;
      buffered += chunk.toString('utf8');
      const match = /bootstrap\.servers=(\S+)/.exec(buffered);
      if (!match) return;
      found = true;
      clearTimeout(timer);
      resolve({
        bootstrapServers: match[1],
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
