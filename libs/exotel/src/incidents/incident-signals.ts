import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import { ExotelDatabase } from '../persistence/exotel-database';
import { ExoPhoneCondition } from './exophone-condition';
import type { IncidentSignal } from './incident-signal';
import { IncidentLedger } from './incident-ledger';
import { appendTimeline, type TimelineInput } from './incident-records';
import { API_LATENCY_SCOPE, EXOTEL_SCOPE } from './incident-scope';
import type { IncidentEntity } from './incident.entity';
import { IncidentTimelineEntity } from './incident-timeline.entity';
import type { SignalPass } from './signal-pass';
import { signalEntries } from './signal-timeline';
import { SourceCondition } from './source-condition';

export type { IncidentSignal } from './incident-signal';

interface Pending {
  readonly signal: IncidentSignal;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Turns signals into incidents. Signals arriving together (a heartbeat that changes a thousand
 * ExoPhones publishes a thousand events) are applied in one transaction: it reads the health of
 * every ExoPhone once, holds each source's condition on the incidents it concerns
 * (`ExoPhoneCondition`, `SourceCondition`), opens what the outage's shape calls for (one incident
 * per scope), resolves incidents none of whose conditions hold, and records each signal on the
 * timeline of the incidents it concerns (`signalEntries`).
 *
 * Idempotent: health is read from the database, not from the signal, and timeline entries are
 * keyed by event id, so a redelivered event changes nothing.
 */
@Injectable()
export class IncidentSignals {
  private readonly logger = new Logger(IncidentSignals.name);
  private queue: Pending[] = [];
  private running?: Promise<void>;

  constructor(
    private readonly db: ExotelDatabase,
    private readonly ledger: IncidentLedger,
    private readonly clock: ExotelClock,
    private readonly exophones: ExoPhoneCondition,
    private readonly sources: SourceCondition,
  ) {}

  /** Applies a signal; resolves once the transaction that applied it committed. */
  submit(signal: IncidentSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ signal, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = (async () => {
      // Let the signals of one delivery batch (one per ExoPhone) gather first: one pass for all.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.db.transaction((manager) =>
            this.apply(
              manager,
              batch.map((p) => p.signal),
            ),
          );
          for (const p of batch) p.resolve();
        } catch (error) {
          this.logger.warn(
            logLine('Incident signals could not be applied; their senders retry', {
              err: error,
              signals: batch.length,
            }),
          );
          for (const p of batch) p.reject(error);
        }
      }
    })().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async apply(manager: EntityManager, signals: readonly IncidentSignal[]): Promise<void> {
    await this.ledger.lock(manager);
    const context = await this.ledger.context(manager, this.clock.now());
    const timeline: TimelineInput[] = [];
    const updates = new Map<string, IncidentEntity>();
    const touch = (incident: IncidentEntity) => updates.set(incident.id, incident);
    // A redelivered latency event was applied before: it must not reopen what a later one resolved.
    const latency = [...signals].reverse().find((s) => s.source === 'latency');
    const latencyIsNew =
      latency?.source === 'latency' &&
      !(await manager.existsBy(IncidentTimelineEntity, { eventId: latency.eventId }));
    // The timeline reads cause before effect: signals first, on the incidents open before them.
    const before = [...context.open.values()];
    await appendTimeline(
      manager,
      signals.flatMap((signal) => signalEntries(signal, before, context)),
    );

    const pass: SignalPass = { manager, context, timeline, touch };
    await this.exophones.apply(pass);
    // The latest word of each source counts (signals are applied in order of arrival).
    const api = [...signals].reverse().find((s) => s.source === 'api');
    if (api?.source === 'api') {
      const { failing: active, detail } = api;
      await this.sources.apply(pass, { scope: EXOTEL_SCOPE, name: 'api', active, detail, eventId: null });
    }
    if (latency?.source === 'latency' && latencyIsNew) {
      const { degraded: active, detail, eventId } = latency;
      await this.sources.apply(pass, { scope: API_LATENCY_SCOPE, name: 'latency', active, detail, eventId });
    }
    await appendTimeline(manager, timeline);

    for (const incident of [...context.open.values()]) {
      const conditions = Object.values(incident.conditions);
      if (conditions.length > 0 && conditions.every((c) => !c.active)) {
        updates.delete(incident.id);
        await this.ledger.resolve(
          manager,
          incident,
          'signals',
          'every signal that held it open has cleared',
          context.now,
        );
        context.open.delete(incident.scope);
      }
    }
    for (const incident of updates.values()) {
      incident.updatedAt = context.now;
      await this.ledger.save(manager, incident);
    }
    // Incidents these signals opened record them after their opening.
    const opened = [...context.open.values()].filter((i) => !before.includes(i));
    await appendTimeline(
      manager,
      signals.flatMap((signal) => signalEntries(signal, opened, context)),
    );
  }
}
