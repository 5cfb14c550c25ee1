import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import { DeliveryLoop } from './delivery-loop';
import { deliverPipelined } from './delivery-pipeline';
import { ExotelEventDispatcher } from './exotel-event-dispatcher';
import { KafkaEventProducer } from './kafka/kafka-event-producer';
import { OutboxStore, type OutboxTarget, type PendingEvent } from './outbox-store';

/**
 * Moves committed events out of the outbox: to in-process `@OnExotelEvent()` handlers always, and
 * to Kafka when it is configured. Each target has its own loop, cursor and claims, and no
 * transaction or row lock is held while events are sent (`OutboxStore`), so a Kafka broker that
 * is down, or frozen and answering nothing, never delays in-process reactions; events wait in the
 * database until Kafka is back. Delivery is at least once: a crash between sending and marking,
 * a claim that lapsed and was taken over, or a retried send resends with the same event id.
 * Within a subject, first deliveries keep the sequence order.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly loops: Partial<Record<OutboxTarget, DeliveryLoop>> = {};
  private readonly failing: Record<OutboxTarget, number> = { inProcess: 0, kafka: 0 };
  private unsubscribe?: () => void;

  constructor(
    @InjectExotelOptions('jobs') private readonly jobs: ResolvedExotelOptions['jobs'],
    @InjectExotelOptions('events') private readonly events: ResolvedExotelOptions['events'],
    private readonly db: ExotelDatabase,
    private readonly store: OutboxStore,
    private readonly dispatcher: ExotelEventDispatcher,
    private readonly kafka: KafkaEventProducer,
    metrics: ExotelMetrics,
  ) {
    const delivered = metrics.counter({
      name: 'exotel_outbox_delivered_total',
      help: 'Outbox events delivered, by target',
      labelNames: ['target'],
    });
    const failed = metrics.counter({
      name: 'exotel_outbox_delivery_failures_total',
      help: 'Failed outbox delivery passes, by target',
      labelNames: ['target'],
    });
    const settings = events.relay;
    const loop = (target: OutboxTarget, deliver: (rows: PendingEvent[]) => Promise<void>) =>
      new DeliveryLoop(
        target,
        async () => {
          try {
            // PostgreSQL: batches claimed while earlier ones are delivered; SQLite: one at a time.
            const count =
              db.dialect === 'postgres'
                ? await deliverPipelined(
                    settings.concurrency,
                    (send, claim) => this.store.deliverNext(target, settings.batchSize, send, claim),
                    deliver,
                  )
                : await this.store.deliverNext(target, settings.batchSize, deliver);
            delivered.inc({ target }, count);
            this.failing[target] = 0;
            return count;
          } catch (error) {
            failed.inc({ target });
            this.failing[target]++;
            if (error instanceof PublishFailedError)
              await this.store.recordPublishFailure(error.rows, error.message).catch(() => undefined);
            throw error;
          }
        },
        settings,
      );
    this.loops.inProcess = loop('inProcess', (rows) =>
      this.dispatcher.dispatchAll(rows.map((row) => row.event)),
    );
    if (kafka.enabled) this.loops.kafka = loop('kafka', (rows) => this.publish(rows));
  }

  /** The targets in use. */
  get targets(): OutboxTarget[] {
    return Object.keys(this.loops) as OutboxTarget[];
  }

  /** Consecutive failed delivery passes of a target (0 when it is delivering). */
  failuresOf(target: OutboxTarget): number {
    return this.failing[target];
  }

  onApplicationBootstrap(): void {
    if (!this.jobs.enabled) return;
    this.unsubscribe = this.db.onCommit(() => {
      for (const loop of Object.values(this.loops)) loop.nudge();
    });
    for (const loop of Object.values(this.loops)) loop.start();
  }

  /**
   * Delivers everything pending now to `target` (default: every target in use); throws if a
   * delivery fails. Resolves to the number of events delivered. Tests and shutdown use it.
   */
  async drain(target?: OutboxTarget): Promise<number> {
    const loops = target
      ? [this.loops[target]].filter((l): l is DeliveryLoop => l !== undefined)
      : Object.values(this.loops);
    let total = 0;
    for (const loop of loops) total += await loop.drain();
    return total;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(Object.values(this.loops).map((loop) => loop.stop()));
    if (this.jobs.enabled) {
      const budget = this.events.relay.drainOnShutdownMs;
      const finalDrain = this.drain().catch((error: unknown) => {
        this.logger.warn(logLine('Final outbox drain failed; events stay in the outbox', { err: error }));
        return 0;
      });
      await Promise.race([finalDrain, new Promise((resolve) => setTimeout(resolve, budget).unref())]);
    }
    await this.kafka.disconnect();
  }

  private async publish(rows: PendingEvent[]): Promise<void> {
    try {
      await this.kafka.send(rows);
    } catch (error) {
      throw new PublishFailedError(rows, error);
    }
  }
}

/** Kafka refused or did not acknowledge a batch. */
class PublishFailedError extends Error {
  override readonly name = 'PublishFailedError';

  constructor(
    readonly rows: readonly PendingEvent[],
    cause: unknown,
  ) {
    super(
      `Kafka did not acknowledge ${rows.length} event(s): ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}
