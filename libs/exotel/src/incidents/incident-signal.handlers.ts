import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ExotelEventOf } from '../events/event-catalogue';
import { LibraryEventHandlers } from '../events/library-handlers';
import { OnExotelEvent } from '../events/on-exotel-event.decorator';
import { logLine, stackOf } from '../logging/log-line';
import { ExotelApiHealth } from './exotel-api-health';
import { IncidentSignals } from './incident-signals';

/**
 * Feeds incidents from what the rest of the library publishes: ExoPhone health changes (heartbeats,
 * sweeps), heartbeats going missing and coming back, Calls API latency crossing the published
 * percentiles, and the client's view of Exotel's API failing. Handlers resolve once the signal is
 * applied, so a failure is retried by the event dispatcher.
 */
@Injectable()
@LibraryEventHandlers()
export class IncidentSignalHandlers implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IncidentSignalHandlers.name);
  private unsubscribe?: () => void;

  constructor(
    private readonly signals: IncidentSignals,
    private readonly apiHealth: ExotelApiHealth,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.apiHealth.onChange((snapshot) => {
      this.signals
        .submit({ source: 'api', failing: snapshot.failing, detail: snapshot.detail })
        .catch((error: unknown) =>
          this.logger.error(
            logLine('Exotel API health change could not be recorded on incidents', {
              err: error,
              failing: snapshot.failing,
            }),
            stackOf(error),
          ),
        );
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  @OnExotelEvent('exophone.health_changed')
  onHealthChanged(event: ExotelEventOf<'exophone.health_changed'>): Promise<void> {
    return this.signals.submit({ source: 'health', eventId: event.id, data: event.data });
  }

  @OnExotelEvent('heartbeat.missed')
  onHeartbeatMissed(event: ExotelEventOf<'heartbeat.missed'>): Promise<void> {
    const detail =
      `no heartbeat for ${Math.round(event.data.silentForSeconds)} s (expected every ` +
      `${event.data.expectedEverySeconds} s): ExoPhone health is being swept from the details API`;
    return this.signals.submit({ source: 'heartbeat', eventId: event.id, detail });
  }

  @OnExotelEvent('heartbeat.restored')
  onHeartbeatRestored(event: ExotelEventOf<'heartbeat.restored'>): Promise<void> {
    const detail = `heartbeats arrive again after ${Math.round(event.data.silentForSeconds)} s of silence`;
    return this.signals.submit({ source: 'heartbeat', eventId: event.id, detail });
  }

  @OnExotelEvent('call.latency_degraded')
  onLatencyDegraded(event: ExotelEventOf<'call.latency_degraded'>): Promise<void> {
    const { p50Ms, p95Ms, p99Ms, thresholds, samples } = event.data;
    const detail =
      `Calls API latency above the published percentiles: p50 ${p50Ms} ms / p95 ${p95Ms} ms / p99 ${p99Ms} ms ` +
      `(thresholds ${thresholds.p50Ms} / ${thresholds.p95Ms} / ${thresholds.p99Ms} ms, ${samples} samples)`;
    return this.signals.submit({ source: 'latency', eventId: event.id, degraded: true, detail });
  }

  @OnExotelEvent('call.latency_restored')
  onLatencyRestored(event: ExotelEventOf<'call.latency_restored'>): Promise<void> {
    const { p50Ms, p95Ms, p99Ms, samples } = event.data;
    const detail = `Calls API latency back under the thresholds: p50 ${p50Ms} ms / p95 ${p95Ms} ms / p99 ${p99Ms} ms (${samples} samples)`;
    return this.signals.submit({ source: 'latency', eventId: event.id, degraded: false, detail });
  }
}
