import { Injectable } from '@nestjs/common';
import type { ExotelHealthIndicatorResult } from '../health/health-indicator-result';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { KafkaEventProducer } from './kafka/kafka-event-producer';
import { OutboxRelay } from './outbox-relay';
import { OutboxStore, type OutboxBacklog, type OutboxTarget } from './outbox-store';

/** The readiness detail of one target. */
interface TargetDetail extends OutboxBacklog {
  failingPasses: number;
  /** Kafka only: the relay makes no progress (`events.kafka.stallAfterMs`). */
  stalled?: boolean;
  /** Kafka only: how long the oldest send in flight has waited for the broker. */
  oldestSendInFlightSeconds?: number;
}

/**
 * Outbox lag for readiness and metrics. It reports `degraded` (HTTP 200 still) when events wait
 * longer than `events.lagWarningSeconds`, Kafka is unreachable, or Kafka stalls, and is never
 * `down`: a Kafka outage must not take the service out of rotation, since events wait safely in
 * the database. A stall is read from the relay's own progress, not from the connection (a frozen
 * or partitioned broker keeps its connections open and answers nothing): a send in flight longer
 * than `events.kafka.stallAfterMs`, or events pending that long while no send was acknowledged.
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
      name: 'exotel_kafka_oldest_send_in_flight_seconds',
      help: 'How long the oldest Kafka send in flight has waited for the broker (0 when none)',
      collect() {
        this.set(kafka.progress().oldestInFlightMs / 1000);
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
    const targets: Partial<Record<OutboxTarget, TargetDetail>> = {};
    let degraded = false;
    for (const target of this.relay.targets) {
      const backlog = await this.store.backlog(target);
      const detail: TargetDetail = { ...backlog, failingPasses: this.relay.failuresOf(target) };
      if (target === 'kafka') Object.assign(detail, this.stall(backlog));
      targets[target] = detail;
      if (
        backlog.oldestPendingSeconds > this.events.lagWarningSeconds ||
        detail.failingPasses > 0 ||
        detail.stalled
      )
        degraded = true;
    }
    return {
      [key]: { status: degraded ? 'degraded' : 'up', kafkaConnection: this.kafka.state, ...targets },
    };
  }

  private stall(backlog: OutboxBacklog): Pick<TargetDetail, 'stalled' | 'oldestSendInFlightSeconds'> {
    const limit = this.events.kafka?.stallAfterMs ?? Infinity;
    const { oldestInFlightMs, sinceProgressMs } = this.kafka.progress();
    const waiting = backlog.oldestPendingSeconds * 1000 > limit && (sinceProgressMs ?? 0) > limit;
    return {
      stalled: oldestInFlightMs > limit || waiting,
      oldestSendInFlightSeconds: oldestInFlightMs / 1000,
    };
  }
}
