import { Injectable } from '@nestjs/common';
import { CallsService } from '../calls/calls.service';
import { OutboxHealthIndicator } from '../events/outbox-health.indicator';
import type { ExoPhoneFilter } from '../exophones/exophone-health.service';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { LastHeartbeat } from '../exophones/last-heartbeat.port';
import { IncidentService } from '../incidents/incident.service';
import { MaintenanceWindowsService } from '../incidents/maintenance-windows.service';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { SupportSlaService } from '../support/support-sla.service';
import { toConsoleTicket, type ConsoleTicket } from './console-tickets';
import { latencyChart, type LatencyChart } from './latency-chart';

/** What changes without an event of its own: the heartbeat's age and the outbox's delivery. */
export interface ConsolePulse {
  readonly now: string;
  readonly heartbeat: {
    readonly appliedAt: string | null;
    readonly statusType: string | null;
    readonly expectedEverySeconds: number;
  };
  readonly delivery: Record<string, unknown>;
}

/** Latency samples read for the chart: the newest calls of the hour, at most this many. */
const LATENCY_SAMPLE_LIMIT = 2_000;

/**
 * What the console shows, read through the capabilities' services (the same answers as the
 * management API) and shaped for the page: small pages, counts computed by the database.
 */
@Injectable()
export class ConsoleViews {
  constructor(
    @InjectExotelOptions('heartbeat') private readonly heartbeat: ResolvedExotelOptions['heartbeat'],
    @InjectExotelOptions('support') private readonly support: ResolvedExotelOptions['support'],
    @InjectExotelOptions('calls') private readonly callOptions: ResolvedExotelOptions['calls'],
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
    private readonly exophones: ExoPhoneHealthService,
    private readonly lastHeartbeat: LastHeartbeat,
    private readonly outbox: OutboxHealthIndicator,
    private readonly incidents: IncidentService,
    private readonly maintenance: MaintenanceWindowsService,
    private readonly tickets: SupportSlaService,
    private readonly calls: CallsService,
  ) {}

  /** The heartbeat and the outbox now. */
  async pulse(): Promise<ConsolePulse> {
    const [heartbeat, outbox] = await Promise.all([
      this.db.read(async (manager) => ({
        appliedAt: await this.lastHeartbeat.appliedAt(manager),
        statusType: await this.lastHeartbeat.statusType(manager),
      })),
      this.outbox.check('outbox'),
    ]);
    return {
      now: this.clock.now().toISOString(),
      heartbeat: {
        appliedAt: heartbeat.appliedAt ? heartbeat.appliedAt.toISOString() : null,
        statusType: heartbeat.statusType,
        expectedEverySeconds: this.heartbeat.frequencySeconds,
      },
      delivery: outbox.outbox,
    };
  }

  /** How many ExoPhones are in each state, per direction, with the pulse. */
  async summary(): Promise<{ counts: Awaited<ReturnType<ExoPhoneHealthService['counts']>> } & ConsolePulse> {
    const [counts, pulse] = await Promise.all([this.exophones.counts(), this.pulse()]);
    return { counts, ...pulse };
  }

  /** One page of the fleet. */
  fleet(filter: ExoPhoneFilter): ReturnType<ExoPhoneHealthService['list']> {
    return this.exophones.list(filter);
  }

  /** Open and recent incidents, and the maintenance windows not yet over. */
  async incidentBoard() {
    const [open, recent, windows] = await Promise.all([
      this.incidents.list({ status: 'open', limit: 100 }),
      this.incidents.list({ status: 'resolved', limit: 20 }),
      this.maintenance.list({ limit: 50 }),
    ]);
    return {
      now: this.clock.now().toISOString(),
      open,
      recent,
      maintenance: windows.filter((w) => w.state !== 'ended'),
    };
  }

  /** One incident with its timeline. */
  incident(id: string) {
    return this.incidents.get(id);
  }

  /** Tickets being worked on or waiting on the customer, and the latest resolved. */
  async ticketBoard(): Promise<{ now: string; open: ConsoleTicket[]; recent: ConsoleTicket[] }> {
    const [open, waiting, resolved] = await Promise.all([
      this.tickets.list({ status: 'open', limit: 100 }),
      this.tickets.list({ status: 'waiting_on_customer', limit: 100 }),
      this.tickets.list({ status: 'resolved', limit: 10 }),
    ]);
    const fraction = this.support.warningFraction;
    return {
      now: this.clock.now().toISOString(),
      open: [...open, ...waiting]
        .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime())
        .map((t) => toConsoleTicket(t, fraction)),
      recent: resolved.map((t) => toConsoleTicket(t, fraction)),
    };
  }

  /** The latest calls, those whose outcome is unknown, and the latency of the last hour. */
  async callBoard() {
    const now = this.clock.now();
    const [latest, unknown, hour] = await Promise.all([
      this.calls.list({ limit: 50 }),
      this.calls.list({ outcome: 'unknown', limit: 100 }),
      this.calls.list({ since: new Date(now.getTime() - 3_600_000), limit: LATENCY_SAMPLE_LIMIT }),
    ]);
    const brief = (call: (typeof latest)[number]) => ({
      id: call.id,
      callSid: call.callSid,
      from: call.from,
      to: call.to,
      callerId: call.callerId.chosen,
      failover: call.failover,
      outcome: call.outcome,
      outcomeReason: call.outcomeReason,
      status: call.status,
      latencyMs: call.latencyMs,
      requestedAt: call.requestedAt,
    });
    const samples = hour
      .filter((call) => call.latencyMs !== null)
      .map((call) => ({ at: Date.parse(call.requestedAt), latencyMs: call.latencyMs ?? 0 }));
    const latency: LatencyChart = latencyChart(samples, now.getTime(), this.callOptions.latency);
    return { now: now.toISOString(), latest: latest.map(brief), unknown: unknown.map(brief), latency };
  }
}
