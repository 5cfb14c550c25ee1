import { Injectable, Logger } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { ExotelClock } from '../../jobs/exotel-clock';
import { logLine } from '../../logging/log-line';
import type { ResolvedExotelOptions } from '../../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../../options/inject-exotel-options.decorator';
import { toKafkaMessage } from '../cloudevents-kafka';
import type { PendingEvent } from '../outbox-store';
import { createKafkaClient } from './kafka-client.factory';

/** Connection state, for readiness details and metrics. */
export type KafkaState = 'disabled' | 'disconnected' | 'connecting' | 'connected';

/** How sends are faring, for readiness (on `ExotelClock`). */
export interface KafkaSendProgress {
  /** How long the oldest send in flight (connecting included) has waited; 0 when none is. */
  readonly oldestInFlightMs: number;
  /**
   * Time since Kafka last acknowledged a send, or since the first send started if none was
   * acknowledged yet; undefined before any send.
   */
  readonly sinceProgressMs: number | undefined;
}

/**
 * Publishes events to Kafka with the CloudEvents binary binding, one topic per family
 * (`<prefix>.<family>`), keyed by subject, `acks: -1` (every in-sync replica), with kafkajs'
 * idempotent producer unless `events.kafka.idempotent` is off. Connects lazily and reconnects
 * after failures; never connects at all when Kafka is not configured. Tracks its sends in flight,
 * so readiness sees a broker that accepts connections but answers nothing.
 */
@Injectable()
export class KafkaEventProducer {
  private readonly logger = new Logger(KafkaEventProducer.name);
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private current: KafkaState;
  // Start times of the sends in flight (ms on the clock), and of the last progress.
  private readonly inFlight = new Set<{ readonly since: number }>();
  private progressAt?: number;

  constructor(
    @InjectExotelOptions('events') private readonly events: ResolvedExotelOptions['events'],
    private readonly clock: ExotelClock,
  ) {
    this.current = events.kafka ? 'disconnected' : 'disabled';
  }

  /** How the sends are faring now. */
  progress(): KafkaSendProgress {
    const now = this.clock.now().getTime();
    let oldest = now;
    for (const send of this.inFlight) oldest = Math.min(oldest, send.since);
    return {
      oldestInFlightMs: now - oldest,
      sinceProgressMs: this.progressAt === undefined ? undefined : now - this.progressAt,
    };
  }

  /** Whether Kafka is configured. */
  get enabled(): boolean {
    return this.events.kafka !== undefined;
  }

  /** The connection state. */
  get state(): KafkaState {
    return this.current;
  }

  /** The topic of an event family. */
  topicOf(family: string): string {
    return `${this.events.kafka?.topicPrefix ?? 'exotel'}.${family}`;
  }

  /** Sends events (in order per topic and key) and resolves once Kafka acknowledged all of them. */
  async send(events: readonly Pick<PendingEvent, 'event' | 'family' | 'dataJson'>[]): Promise<void> {
    if (events.length === 0) return;
    const send = { since: this.clock.now().getTime() };
    this.progressAt ??= send.since;
    this.inFlight.add(send);
    let deadline: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.sendBatch(events),
        new Promise<never>((_, reject) => {
          deadline = setTimeout(
            () => reject(new KafkaSendTimeoutError(this.sendDeadlineMs())),
            this.sendDeadlineMs(),
          );
          deadline.unref();
        }),
      ]);
      this.progressAt = this.clock.now().getTime();
    } catch (error) {
      // A send past its deadline is abandoned (its events are sent again: at least once), and so is
      // its producer: kafkajs can stay stuck on a connection a broker froze and came back from.
      if (error instanceof KafkaSendTimeoutError) void this.reset();
      throw error;
    } finally {
      clearTimeout(deadline);
      this.inFlight.delete(send);
    }
  }

  /**
   * The longest a send may take before it is given up: connecting, then kafkajs' three attempts of
   * a request with their backoff. kafkajs bounds each request, but not every path of a connection a
   * frozen broker left half-open; this bound keeps the relay from waiting on it for ever.
   */
  private sendDeadlineMs(): number {
    const kafka = this.events.kafka;
    if (!kafka) return 0;
    return kafka.connectionTimeoutMs + 3 * kafka.requestTimeoutMs + 5_000;
  }

  private async sendBatch(
    events: readonly Pick<PendingEvent, 'event' | 'family' | 'dataJson'>[],
  ): Promise<void> {
    const producer = await this.connect();
    const byTopic = new Map<string, ReturnType<typeof toKafkaMessage>[]>();
    for (const { event, family, dataJson } of events) {
      const topic = this.topicOf(family);
      const list = byTopic.get(topic) ?? [];
      list.push(toKafkaMessage(event, dataJson));
      byTopic.set(topic, list);
    }
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      // A failed send may leave the connection broken; start afresh next time.
      await this.reset();
      throw error;
    }
  }

  /** Connects now (or joins the connection in progress). */
  async connect(): Promise<Producer> {
    const kafka = this.events.kafka;
    if (!kafka) throw new Error('Kafka is not configured (events.kafka)');
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      this.current = 'connecting';
      const producer = createKafkaClient(kafka).producer({
        allowAutoTopicCreation: true,
        // The broker drops what kafkajs' own retries of a send write twice (a stall, then an
        // answer); a cluster without idempotence (librdkafka's mock) needs it off. Ordering per
        // key is kept by sending one batch at a time per relay and at most one in-flight request.
        idempotent: kafka.idempotent,
        maxInFlightRequests: 1,
      });
      try {
        await producer.connect();
        this.producer = producer;
        this.current = 'connected';
        this.logger.log(logLine('Connected to Kafka', { brokers: kafka.brokers.length }));
        return producer;
      } catch (error) {
        this.current = 'disconnected';
        await producer.disconnect().catch(() => undefined);
        throw error;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }

  /** Disconnects (on shutdown). */
  async disconnect(): Promise<void> {
    await this.reset();
    if (this.enabled) this.current = 'disconnected';
  }

  private async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (this.enabled) this.current = 'disconnected';
    if (!producer) return;
    // A disconnect waits for requests in flight, which a frozen broker never answers: bounded.
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([
      producer.disconnect().catch(() => undefined),
      new Promise<void>((resolve) => {
        bound = setTimeout(resolve, DISCONNECT_WAIT_MS);
        bound.unref();
      }),
    ]);
    clearTimeout(bound);
  }
}

/** How long a reset waits for the old producer to disconnect. */
const DISCONNECT_WAIT_MS = 2_000;

/** Kafka neither acknowledged nor refused a send within its deadline. */
class KafkaSendTimeoutError extends Error {
  override readonly name = 'KafkaSendTimeoutError';

  constructor(readonly deadlineMs: number) {
    super(
      `Kafka did not answer a send within ${deadlineMs} ms; the events stay in the outbox and are sent again`,
    );
  }
}
