import { Injectable } from '@nestjs/common';
import { CallsService } from '../calls/calls.service';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { LastHeartbeat } from '../exophones/last-heartbeat.port';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { SupportSlaService } from '../support/support-sla.service';
import { toConsoleTicket } from './console-tickets';

/** Unknown calls counted at most (the gauge then reads this many). */
const UNKNOWN_CALLS_CAP = 1_000;

/**
 * The state the console shows, as Prometheus gauges read from the database at each scrape, so
 * every replica reports the same figures and alerts (deploy/prometheus/alerts.yml) hold whichever
 * replica is scraped: ExoPhones per direction and state, the last applied heartbeat against the
 * expected interval, tickets whose SLA is about to breach or has, and calls whose outcome is
 * unknown. Registered whether or not the console controller is mounted.
 */
@Injectable()
export class OperationsGauges {
  constructor(
    @InjectExotelOptions('heartbeat') heartbeat: ResolvedExotelOptions['heartbeat'],
    @InjectExotelOptions('support') support: ResolvedExotelOptions['support'],
    db: ExotelDatabase,
    exophones: ExoPhoneHealthService,
    lastHeartbeat: LastHeartbeat,
    tickets: SupportSlaService,
    calls: CallsService,
    metrics: ExotelMetrics,
  ) {
    metrics.gauge({
      name: 'exotel_exophones',
      help: 'ExoPhones by direction and health state',
      labelNames: ['direction', 'state'],
      async collect() {
        const counts = await exophones.counts();
        for (const [direction, states] of Object.entries(counts))
          for (const [state, n] of Object.entries(states)) this.set({ direction, state }, n);
      },
    });
    metrics.gauge({
      name: 'exotel_heartbeat_last_applied_timestamp_seconds',
      help: "Exotel's timestamp of the last heartbeat applied (0 when none was)",
      async collect() {
        const at = await db.read((manager) => lastHeartbeat.appliedAt(manager));
        this.set(at ? at.getTime() / 1000 : 0);
      },
    });
    metrics.gauge({
      name: 'exotel_heartbeat_expected_interval_seconds',
      help: 'How often Exotel is expected to send the heartbeat (heartbeat.frequencySeconds)',
      collect() {
        this.set(heartbeat.frequencySeconds);
      },
    });
    const openTickets = async () => {
      const [open, waiting] = await Promise.all([
        tickets.list({ status: 'open', limit: 1_000 }),
        tickets.list({ status: 'waiting_on_customer', limit: 1_000 }),
      ]);
      return [...open, ...waiting].map((t) => toConsoleTicket(t, support.warningFraction));
    };
    metrics.gauge({
      name: 'exotel_support_sla_at_risk_tickets',
      help: 'Open tickets past the SLA warning fraction (support.warningFraction), not met nor breached, by metric',
      labelNames: ['metric'],
      async collect() {
        const open = await openTickets();
        for (const metric of ['acknowledgement', 'response'] as const)
          this.set({ metric }, open.filter((t) => t[metric].warning).length);
      },
    });
    metrics.gauge({
      name: 'exotel_support_sla_breached_tickets',
      help: 'Open tickets whose SLA metric is breached, by metric',
      labelNames: ['metric'],
      async collect() {
        const open = await openTickets();
        for (const metric of ['acknowledgement', 'response'] as const)
          this.set({ metric }, open.filter((t) => t[metric].breached).length);
      },
    });
    metrics.gauge({
      name: 'exotel_calls_outcome_unknown',
      help: `Calls whose Calls/connect outcome is unknown, awaiting reconciliation (counted up to ${UNKNOWN_CALLS_CAP})`,
      async collect() {
        this.set((await calls.list({ outcome: 'unknown', limit: UNKNOWN_CALLS_CAP })).length);
      },
    });
  }
}
