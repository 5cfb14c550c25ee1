import { Injectable, Logger } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { logLine } from '../../logging/log-line';
import type { ResolvedExotelOptions } from '../../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../../options/inject-exotel-options.decorator';
import { toKafkaMessage } from '../cloudevents-kafka';
import type { PendingEvent } from '../outbox-store';
import { createKafkaClient } from './kafka-client.factory';

/** Connection state, for readiness details and metrics. */
export type KafkaState = 'disabled' | 'disconnected' | 'connecting' | 'connected';

/**
 * Publishes events to Kafka with the CloudEvents binary binding, one topic per family
 * (`<prefix>.<family>`), keyed by subject, `acks: -1` (every in-sync replica). Connects lazily and
 * reconnects after failures; never connects at all when Kafka is not configured.
 */
@Injectable()
export class KafkaEventProducer {
  private readonly logger = new Logger(KafkaEventProducer.name);
  private producer?: Producer;
  private connecting?: Promise<Producer>;
  private current: KafkaState;

  constructor(@InjectExotelOptions('events') private readonly events: ResolvedExotelOptions['events']) {
    this.current = events.kafka ? 'disconnected' : 'disabled';
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
        // The idempotent producer needs broker support the mock cluster lacks; ordering per key is
        // kept by sending one batch at a time per relay and at most one in-flight request.
        idempotent: false,
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
    await producer?.disconnect().catch(() => undefined);
  }
}
