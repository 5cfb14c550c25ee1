import {
  Inject,
  Injectable,
  type OnModuleInit,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Consumer, EachMessagePayload } from 'kafkajs';
import { logLine } from '../../logging/log-line';
import { fromKafkaMessage } from '../cloudevents-kafka';
import { EXOTEL_EVENT_CATALOGUE, isCatalogued, type ExotelEventCatalogue } from '../event-catalogue';
import { familyOf, type ExotelEventFamily } from '../event-families';
import { ExotelEventDispatcher } from '../exotel-event-dispatcher';
import { ExotelEventHandlers } from '../exotel-event-handlers';
import { createKafkaClient } from '../kafka/kafka-client.factory';
import { EXOTEL_LOCAL_EVENTS, type LocalEventLookup } from '../local-event-lookup';
import { RecentEventIds, type EventDeduplicator } from './event-deduplicator';
import { EXOTEL_CONSUMER_OPTIONS } from './exotel-events-consumer.module-definition';
import type { ResolvedConsumerOptions } from './exotel-events-consumer.options';

const ALL_FAMILIES: ExotelEventFamily[] = ['exophones', 'calls', 'incidents', 'support'];
const RECONNECT_DELAY_MS = 2_000;

/** What the consumer did so far. */
export interface ConsumerCounts {
  received: number;
  delivered: number;
  duplicates: number;
  invalid: number;
  /** Events this app published itself (with `ExotelModule`), already handled in-process. */
  local: number;
}

/**
 * Reads the publisher's topics with a kafkajs consumer group and hands each event to the
 * application's `@OnExotelEvent()` handlers, typed by the catalogue, once per event id.
 */
@Injectable()
export class ExotelEventsConsumer implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExotelEventsConsumer.name);
  private readonly deduplicator: EventDeduplicator | undefined;
  private readonly dispatcher: ExotelEventDispatcher;
  private consumer?: Consumer;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private local?: LocalEventLookup;
  /** Counters, for monitoring and tests. */
  readonly counts: ConsumerCounts = {
    received: 0,
    delivered: 0,
    duplicates: 0,
    invalid: 0,
    local: 0,
  };

  constructor(
    @Inject(EXOTEL_CONSUMER_OPTIONS) private readonly options: ResolvedConsumerOptions,
    private readonly handlers: ExotelEventHandlers,
    private readonly moduleRef: ModuleRef,
    @Inject(EXOTEL_EVENT_CATALOGUE) private readonly catalogue: ExotelEventCatalogue,
  ) {
    this.deduplicator =
      options.deduplicator ??
      (options.dedupeCapacity > 0 ? new RecentEventIds(options.dedupeCapacity) : undefined);
    this.dispatcher = new ExotelEventDispatcher(handlers, options.handlers);
  }

  /** The topics this consumer reads. */
  get topics(): string[] {
    return this.families().map((family) => `${this.options.topicPrefix}.${family}`);
  }

  onModuleInit(): void {
    // ExotelModule in the same app (anywhere in it) publishes events and delivers them in-process.
    try {
      this.local = this.moduleRef.get<LocalEventLookup>(EXOTEL_LOCAL_EVENTS, { strict: false });
    } catch {
      this.local = undefined;
    }
  }

  onApplicationBootstrap(): void {
    void this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async start(): Promise<void> {
    if (this.stopped) return;
    const consumer = createKafkaClient(this.options.kafka).consumer({ groupId: this.options.groupId });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.topics, fromBeginning: this.options.fromBeginning });
      await consumer.run({ eachMessage: (payload) => this.handle(payload) });
      this.consumer = consumer;
      this.logger.log(
        logLine('Consuming Exotel events', { topics: this.topics, groupId: this.options.groupId }),
      );
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      this.logger.warn(logLine('Kafka consumer could not start; retrying', { err: error }));
      this.retry = setTimeout(() => void this.start(), RECONNECT_DELAY_MS);
      this.retry.unref();
    }
  }

  private async handle({ message, topic, partition }: EachMessagePayload): Promise<void> {
    this.counts.received++;
    let event;
    try {
      event = fromKafkaMessage(message);
    } catch (error) {
      this.counts.invalid++;
      this.logger.error(
        logLine('Skipping a message that is not an Exotel event', {
          topic,
          partition,
          offset: message.offset,
          err: error,
        }),
      );
      return;
    }
    if (await this.deduplicator?.seenBefore(event.id)) {
      this.counts.duplicates++;
      return;
    }
    if (await this.local?.publishedHere(event.id)) {
      this.counts.local++;
      return;
    }
    if (this.options.validate && isCatalogued(this.catalogue, event.type)) {
      const checked = this.catalogue[event.type].safeParse(event.data);
      if (!checked.success) {
        this.counts.invalid++;
        this.logger.error(
          logLine('Skipping an event whose data does not match the catalogue', {
            eventId: event.id,
            type: event.type,
            issues: checked.error.issues.length,
          }),
        );
        return;
      }
    }
    await this.dispatcher.dispatch(event);
    this.counts.delivered++;
  }

  private families(): ExotelEventFamily[] {
    if (this.options.families) return this.options.families;
    const types = this.handlers.handledTypes();
    if (types.includes('*')) return ALL_FAMILIES;
    return [...new Set(types.filter((type) => isCatalogued(this.catalogue, type)).map(familyOf))];
  }
}
