import { Kafka, logLevel, type Consumer, type ISocketFactory, type KafkaMessage } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** Brokers of the Kafka the suites use (see global-setup). */
export function testKafkaBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS;
  if (!brokers)
    throw new Error('TEST_KAFKA_BROKERS is not set: run the suites through Jest (global setup starts Kafka)');
  return brokers.split(',');
}

/** A topic prefix of its own, so suites sharing the cluster never read each other's events. */
export function uniqueTopicPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

/** Reads topics from the beginning into memory. */
export class TopicReader {
  readonly messages: (KafkaMessage & { topic: string; partition: number })[] = [];
  private consumer?: Consumer;

  /** `brokers`: the suites' cluster (`TEST_KAFKA_BROKERS`) unless given. */
  constructor(
    private readonly topics: string[],
    private readonly brokers?: string[],
  ) {}

  async start(): Promise<this> {
    const kafka = new Kafka({
      clientId: 'test-reader',
      brokers: this.brokers ?? testKafkaBrokers(),
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({
      groupId: `reader-${randomBytes(6).toString('hex')}`,
      maxWaitTimeInMs: 100,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({ ...message, topic, partition });
      },
    });
    return this;
  }

  /** Resolves once `predicate` holds (polling), or rejects after `timeoutMs`. */
  async waitFor(
    predicate: (messages: TopicReader['messages']) => boolean,
    timeoutMs = 20_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline)
        throw new Error(`Timed out after ${timeoutMs} ms with ${this.messages.length} message(s)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/**
 * A kafkajs socket factory whose "network" can be cut: while down, every connection is refused
 * and the open ones are reset, as when the broker is stopped. Up again, clients reconnect.
 */
export class SwitchableNetwork {
  private down = false;
  private readonly sockets = new Set<Socket>();

  readonly socketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    const socket = ssl ? tlsConnect({ host, port, ...ssl }, onConnect) : connect({ host, port }, onConnect);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.down)
      setImmediate(() =>
        socket.destroy(
          Object.assign(new Error('connect ECONNREFUSED (network down)'), { code: 'ECONNREFUSED' }),
        ),
      );
    return socket;
  };

  /** Cuts the network: resets open connections, refuses new ones. */
  cut(): void {
    this.down = true;
    for (const socket of this.sockets)
      socket.destroy(Object.assign(new Error('read ECONNRESET (network down)'), { code: 'ECONNRESET' }));
  }

  /** Restores the network. */
  restore(): void {
    this.down = false;
  }
}
