import { Injectable } from '@nestjs/common';
import type { ExotelHealthIndicatorResult } from '../health/health-indicator-result';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { KafkaEventProducer } from './kafka/kafka-event-producer';
import { OutboxRelay } from './outbox-relay';
import { OutboxStore, type OutboxBacklog, type OutboxTarget } from './outbox-store';

/**
 * Outbox lag for readiness and metrics. It reports `degraded` (HTTP 200 still) when events wait
 * longer than `events.lagWarningSeconds` or Kafka is unreachable, and is never `down`: a Kafka
 * outage must not take the service out of rotation, since events wait safely in the database.
 */
@Injectable()
export class OutboxHealthIndicator {
  constructor(
    @InjectExotelOptions('events') private readonly events: ResolvedExotelOptions['events'],
    private readonly store: OutboxStore,
    private readonly relay: OutboxRelay,
    private readonly kafka: KafkaEventProducer,
    metrics: ExotelMetrics,
  ) {
    const backlog = (target: OutboxTarget) => this.store.backlog(target);
    metrics.gauge({
      name: 'exotel_outbox_pending_events',
      help: 'Outbox events not yet delivered, by target',
      labelNames: ['target'],
      collect: async function () {
        for (const target of relay.targets) this.set({ target }, (await backlog(target)).pending);
      },
    });
    metrics.gauge({
      name: 'exotel_outbox_oldest_pending_seconds',
      help: 'Age of the oldest undelivered outbox event, by target (0 when none)',
      labelNames: ['target'],
      collect: async function () {
        for (const target of relay.targets)
          this.set({ target }, (await backlog(target)).oldestPendingSeconds);
      },
    });
    metrics.gauge({
      name: 'exotel_kafka_connected',
      help: '1 when the Kafka producer is connected',
      collect() {
        this.set(kafka.state === 'connected' ? 1 : 0);
      },
    });
  }

  /** The `outbox` readiness detail. */
  async check(key = 'outbox'): Promise<ExotelHealthIndicatorResult> {
    const targets: Partial<Record<OutboxTarget, OutboxBacklog & { failingPasses: number }>> = {};
    let degraded = false;
    for (const target of this.relay.targets) {
      const backlog = await this.store.backlog(target);
      const failingPasses = this.relay.failuresOf(target);
      targets[target] = { ...backlog, failingPasses };
      if (backlog.oldestPendingSeconds > this.events.lagWarningSeconds || failingPasses > 0) degraded = true;
    }
    return {
      [key]: { status: degraded ? 'degraded' : 'up', kafkaConnection: this.kafka.state, ...targets },
    };
  }
}
