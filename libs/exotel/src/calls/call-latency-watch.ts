import { Injectable, Logger } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { CallLatencyStateEntity } from './call-latency-state.entity';

/** Rolling Calls/connect latency percentiles. */
export interface LatencyPercentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly samples: number;
}

/**
 * Watches Calls/connect latency: a rolling window of the latest answers, its p50/p95/p99 on
 * `/metrics` (`exotel_calls_connect_latency_ms{quantile}`), and `call.latency_degraded` when a
 * percentile crosses its threshold (Exotel's published figures by default), `call.latency_restored`
 * when all are back under. The degraded flag lives in the database, so replicas publish each
 * crossing once between them.
 */
@Injectable()
export class CallLatencyWatch {
  private readonly logger = new Logger(CallLatencyWatch.name);
  private readonly window: number[] = [];
  private next = 0;
  private readonly gauge: Gauge<'quantile'>;
  /** The degraded flag as this process last saw it in the database (undefined: not read yet). */
  private degraded?: boolean;
  private judging?: Promise<void>;
  private rejudge = false;

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    metrics: ExotelMetrics,
  ) {
    this.gauge = metrics.gauge({
      name: 'exotel_calls_connect_latency_ms',
      help: 'Rolling Calls/connect latency percentiles over the latest answers (calls.latency.windowSize)',
      labelNames: ['quantile'],
    });
  }

  /** Records one Calls/connect answer's latency. Judging the thresholds happens in the background. */
  record(latencyMs: number): void {
    const size = this.calls.latency.windowSize;
    if (this.window.length < size) this.window.push(latencyMs);
    else this.window[this.next] = latencyMs;
    this.next = (this.next + 1) % size;
    const current = this.percentiles();
    this.gauge.set({ quantile: '0.5' }, current.p50Ms);
    this.gauge.set({ quantile: '0.95' }, current.p95Ms);
    this.gauge.set({ quantile: '0.99' }, current.p99Ms);
    if (current.samples < this.calls.latency.minSamples) return;
    if (this.isDegraded(current) === this.degraded) return;
    void this.judge();
  }

  /** The percentiles of the current window. */
  percentiles(): LatencyPercentiles {
    const sorted = [...this.window].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return { p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), samples: sorted.length };
  }

  /** Resolves once any judgement in progress has been written (tests). */
  async settled(): Promise<void> {
    while (this.judging) await this.judging;
  }

  private isDegraded(p: LatencyPercentiles): boolean {
    const t = this.calls.latency;
    return p.p50Ms > t.p50Ms || p.p95Ms > t.p95Ms || p.p99Ms > t.p99Ms;
  }

  private judge(): Promise<void> {
    if (this.judging) {
      this.rejudge = true;
      return this.judging;
    }
    this.judging = this.writeState()
      .catch((error: unknown) =>
        this.logger.warn(
          logLine('Latency state not written; judged again on the next answer', { err: error }),
        ),
      )
      .finally(() => {
        this.judging = undefined;
        if (this.rejudge) {
          this.rejudge = false;
          const current = this.percentiles();
          if (this.isDegraded(current) !== this.degraded) void this.judge();
        }
      });
    return this.judging;
  }

  private async writeState(): Promise<void> {
    const current = this.percentiles();
    const wanted = this.isDegraded(current);
    const t = this.calls.latency;
    const account = this.credentials.accountSid;
    await this.db.transaction(async (manager) => {
      const now = this.clock.now();
      // Make sure the row exists, then lock it: replicas judging at once take turns on it.
      await manager
        .createQueryBuilder()
        .insert()
        .into(CallLatencyStateEntity)
        .values({ accountSid: account, degraded: false, changedAt: now })
        .orIgnore()
        .execute();
      const row = await manager.findOne(CallLatencyStateEntity, {
        where: { accountSid: account },
        ...(this.db.dialect === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
      });
      if ((row?.degraded ?? false) === wanted) return;
      await manager.update(
        CallLatencyStateEntity,
        { accountSid: account },
        { degraded: wanted, changedAt: now },
      );
      const figures = {
        p50Ms: current.p50Ms,
        p95Ms: current.p95Ms,
        p99Ms: current.p99Ms,
        samples: current.samples,
      };
      await this.events.publish(
        manager,
        wanted
          ? {
              type: 'call.latency_degraded',
              subject: account,
              data: { ...figures, thresholds: { p50Ms: t.p50Ms, p95Ms: t.p95Ms, p99Ms: t.p99Ms } },
            }
          : { type: 'call.latency_restored', subject: account, data: figures },
      );
    });
    this.degraded = wanted;
  }
}
