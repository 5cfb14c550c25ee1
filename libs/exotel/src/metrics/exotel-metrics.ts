import { Injectable } from '@nestjs/common';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * The library's Prometheus metrics, in a registry of their own (never prom-client's global one),
 * so two module instances or a host's own metrics never collide. Expose `registry` on `/metrics`,
 * alone or merged with the host's registry.
 */
@Injectable()
export class ExotelMetrics {
  /** Registry holding every `exotel_*` metric. */
  readonly registry = new Registry();

  /** Creates (or returns the existing) counter named `name`. */
  counter<T extends string>(config: Omit<CounterConfiguration<T>, 'registers'>): Counter<T> {
    return this.existing(config.name) ?? new Counter({ ...config, registers: [this.registry] });
  }

  /** Creates (or returns the existing) gauge named `name`. */
  gauge<T extends string>(config: Omit<GaugeConfiguration<T>, 'registers'>): Gauge<T> {
    return this.existing(config.name) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  /** Creates (or returns the existing) histogram named `name`. */
  histogram<T extends string>(config: Omit<HistogramConfiguration<T>, 'registers'>): Histogram<T> {
    return this.existing(config.name) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}
