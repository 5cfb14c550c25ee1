import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ExotelEventData } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import { ExotelDatabase } from '../persistence/exotel-database';
import { scopeHealth } from './health-shape';
import { IncidentLedger, originOfScope, type IncidentContext } from './incident-ledger';
import {
  addEvidence,
  appendTimeline,
  setAffected,
  updatedEvent,
  type TimelineInput,
} from './incident-records';
import { API_LATENCY_SCOPE, EXOTEL_SCOPE, scopeContains } from './incident-scope';
import type { IncidentEntity } from './incident.entity';
import { IncidentTimelineEntity } from './incident-timeline.entity';
import type { IncidentConditionName } from './incident.types';

/** Something that may open, change or resolve incidents. */
export type IncidentSignal =
  | {
      readonly source: 'health';
      readonly eventId: string;
      readonly data: ExotelEventData<'exophone.health_changed'>;
    }
  | {
      readonly source: 'heartbeat';
      readonly eventId: string;
      readonly detail: string;
    }
  | { readonly source: 'api'; readonly failing: boolean; readonly detail: string }
  | {
      readonly source: 'latency';
      readonly eventId: string;
      readonly degraded: boolean;
      readonly detail: string;
    }
  /** Look at the ExoPhones' health again (the watch job's safety net). */
  | { readonly source: 'recheck' };

interface Pending {
  readonly signal: IncidentSignal;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Turns signals into incidents. Signals arriving together (a heartbeat that changes a thousand
 * ExoPhones publishes a thousand events) are applied in one transaction: it reads the health of
 * every ExoPhone once, holds each source's condition on the incidents it concerns, opens what the
 * outage's shape calls for (one incident per scope), resolves incidents none of whose conditions
 * hold, and records each signal on the timeline of the incidents it concerns.
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
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
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

    await this.applyHealth(manager, context, touch, timeline);
    // The latest word of each source counts (signals are applied in order of arrival).
    const api = [...signals].reverse().find((s) => s.source === 'api');
    if (api?.source === 'api')
      await this.applyCondition(
        manager,
        context,
        EXOTEL_SCOPE,
        'api',
        api.failing,
        api.detail,
        null,
        touch,
        timeline,
      );
    if (latency?.source === 'latency' && latencyIsNew)
      await this.applyCondition(
        manager,
        context,
        API_LATENCY_SCOPE,
        'latency',
        latency.degraded,
        latency.detail,
        latency.eventId,
        touch,
        timeline,
      );
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

  /** Holds the ExoPhone condition of every incident health speaks to, and opens what its shape calls for. */
  private async applyHealth(
    manager: EntityManager,
    context: IncidentContext,
    touch: (incident: IncidentEntity) => void,
    timeline: TimelineInput[],
  ): Promise<void> {
    const { now } = context;
    for (const incident of [...context.open.values()]) {
      const health = scopeHealth(incident.scope, context.phones, context.findings);
      if (!health) continue;
      const finding = context.findings.find((f) => f.scope === incident.scope);
      const current = incident.conditions.exophones;
      if (current || health.holds) {
        if (!current || current.active !== health.holds) {
          const detail = health.holds
            ? (finding?.evidence.join('; ') ?? 'ExoPhones affected')
            : 'ExoPhones healthy again';
          incident.conditions = {
            ...incident.conditions,
            exophones: { active: health.holds, since: now.toISOString(), detail },
          };
          if (health.holds && finding) addEvidence(incident, finding.evidence);
          timeline.push({
            incidentId: incident.id,
            at: now,
            type: 'signal',
            detail: `ExoPhone condition: ${detail}`,
          });
          touch(incident);
        }
      }
      if (setAffected(incident, health.affected)) {
        incident.advice = this.ledger.advise(context, health.affected);
        const detail = `${incident.affectedTotal} affected ExoPhone direction(s)`;
        timeline.push({ incidentId: incident.id, at: now, type: 'affected_changed', detail });
        await this.events.publish(manager, updatedEvent(incident, 'affected_changed', detail, now));
        touch(incident);
      }
    }
    for (const finding of context.findings) {
      if (!finding.mayOpen || context.open.has(finding.scope)) continue;
      await this.ledger.open(manager, context, {
        scope: finding.scope,
        kind: 'outage',
        openedBy: 'signal',
        origin: finding.origin,
        evidence: finding.evidence,
        affected: finding.affected,
        conditions: {
          exophones: { active: true, since: now.toISOString(), detail: finding.evidence.join('; ') },
        },
        detail: 'opened from ExoPhone health',
      });
    }
  }

  /** Sets one source's condition on the incident of `scope`, opening one when it starts to hold. */
  private async applyCondition(
    manager: EntityManager,
    context: IncidentContext,
    scope: string,
    name: IncidentConditionName,
    active: boolean,
    detail: string,
    eventId: string | null,
    touch: (incident: IncidentEntity) => void,
    timeline: TimelineInput[],
  ): Promise<void> {
    const { now } = context;
    const incident = context.open.get(scope);
    if (!incident) {
      if (!active) return;
      const affected = scopeHealth(scope, context.phones, context.findings)?.affected ?? [];
      await this.ledger.open(manager, context, {
        scope,
        kind: name === 'latency' ? 'degraded_performance' : 'outage',
        openedBy: 'signal',
        origin: originOfScope(scope),
        evidence: [detail],
        affected,
        conditions: { [name]: { active: true, since: now.toISOString(), detail } },
        detail: `opened: ${detail}`,
        eventId,
      });
      return;
    }
    const current = incident.conditions[name];
    if (current?.active === active) return;
    if (!current && !active) return;
    incident.conditions = { ...incident.conditions, [name]: { active, since: now.toISOString(), detail } };
    if (active) addEvidence(incident, [detail]);
    timeline.push({
      incidentId: incident.id,
      at: now,
      type: 'signal',
      detail: `${name} condition: ${detail}`,
    });
    touch(incident);
  }
}

/** Timeline entries recording a signal on the incidents it concerns. */
function signalEntries(
  signal: IncidentSignal,
  incidents: readonly IncidentEntity[],
  context: IncidentContext,
): TimelineInput[] {
  const { now } = context;
  switch (signal.source) {
    case 'health': {
      const d = signal.data;
      const region = context.regionOf(d.exoPhoneSid) ?? d.region;
      return incidents
        .filter((i) => scopeContains(i.scope, d.exoPhoneSid, region))
        .map((i) => ({
          incidentId: i.id,
          at: now,
          type: 'signal' as const,
          detail: `ExoPhone ${d.phoneNumber ?? d.exoPhoneSid} ${d.direction}: ${d.previous} -> ${d.current} (${d.source})`,
          eventId: signal.eventId,
          data: { type: 'exophone.health_changed', ...d },
        }));
    }
    case 'heartbeat':
    case 'latency': {
      const concerned = (i: IncidentEntity) =>
        signal.source === 'heartbeat' ? !i.resolvedAt : i.scope === API_LATENCY_SCOPE;
      return incidents.filter(concerned).map((i) => ({
        incidentId: i.id,
        at: now,
        type: 'signal' as const,
        detail: signal.detail,
        eventId: signal.eventId,
      }));
    }
    default:
      return [];
  }
}
