import { Injectable } from '@nestjs/common';
import { IsNull, Not, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import { ExoPhoneDirectory } from '../exophones/exophone-directory.service';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import { scopeHealth } from './health-shape';
import { expectedRestore, rcaDueAt } from './incident-clocks';
import { IncidentLedger, originOfScope } from './incident-ledger';
import { appendTimeline, updatedEvent } from './incident-records';
import { formatScope, parseScope } from './incident-scope';
import { IncidentTimelineEntity } from './incident-timeline.entity';
import { toIncidentView, type IncidentView } from './incident-view';
import { IncidentEntity } from './incident.entity';
import {
  IncidentAlreadyOpenError,
  IncidentNotFoundError,
  IncidentStateConflictError,
  type IncidentAction,
} from './incident.errors';
import type { IncidentKindName, IncidentOrigin, IncidentStatus } from './incident.types';
import { knownScope } from './maintenance-windows.service';

/** An incident opened by hand. */
export interface OpenIncidentByHand {
  readonly scope: string;
  /** @default 'outage' */
  readonly kind?: IncidentKindName;
  readonly title?: string;
  /** What was seen, for the timeline. */
  readonly note?: string;
  /** Classify by hand instead of by shape and maintenance windows. */
  readonly origin?: IncidentOrigin;
  readonly planned?: boolean;
}

/** A classification given by hand. */
export interface Reclassification {
  readonly origin?: IncidentOrigin;
  readonly planned?: boolean;
  /** Why; recorded in the timeline and the evidence. */
  readonly reason: string;
}

/** Filters of `IncidentService.list`. */
export interface IncidentListFilter {
  readonly status?: IncidentStatus;
  readonly scope?: string;
  /** Newest first, at most this many. @default 50 */
  readonly limit?: number;
}

/**
 * Incidents as an operator tracks them: opened from signals (see `IncidentSignals`) or by hand,
 * classified on two axes (operator-related or Exotel-specific; planned or unplanned) with the
 * evidence, carrying advice, clocks (expected restoration, escalation, RCA due) and a timeline.
 * Every change is one transaction that publishes its `incident.*` event.
 */
@Injectable()
export class IncidentService {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly ledger: IncidentLedger,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly directory: ExoPhoneDirectory,
  ) {}

  /** Incidents, newest first. */
  async list(filter: IncidentListFilter = {}): Promise<IncidentView[]> {
    const where: FindOptionsWhere<IncidentEntity> = {};
    if (filter.status === 'open') where.resolvedAt = IsNull();
    if (filter.status === 'resolved') where.resolvedAt = Not(IsNull());
    if (filter.scope) {
      const parsed = parseScope(filter.scope);
      where.scope = parsed ? formatScope(parsed) : filter.scope;
    }
    const rows = await this.db.read((manager) =>
      manager.find(IncidentEntity, {
        where,
        order: { openedAt: 'DESC', id: 'DESC' },
        take: Math.min(Math.max(filter.limit ?? 50, 1), 200),
      }),
    );
    return rows.map((row) => toIncidentView(row));
  }

  /** One incident with its timeline. Throws `IncidentNotFoundError`. */
  async get(id: string): Promise<IncidentView> {
    const found = await this.db.read(async (manager) => {
      const row = await manager.findOneBy(IncidentEntity, { id });
      if (!row) return undefined;
      const timeline = await manager.find(IncidentTimelineEntity, {
        where: { incidentId: id },
        order: { id: 'ASC' },
      });
      return { row, timeline };
    });
    if (!found) throw new IncidentNotFoundError(id);
    return toIncidentView(found.row, found.timeline);
  }

  /**
   * Opens an incident by hand; it stays open until resolved by hand. Throws `UnknownScopeError`,
   * `IncidentAlreadyOpenError` (the scope has an open incident: add a note to it).
   */
  async open(input: OpenIncidentByHand): Promise<IncidentView> {
    const id = await this.db.transaction(async (manager) => {
      await this.ledger.lock(manager);
      const scope = await knownScope(this.directory, manager, input.scope);
      const context = await this.ledger.context(manager, this.clock.now());
      const existing = context.open.get(scope);
      if (existing) throw new IncidentAlreadyOpenError(scope, existing.id);
      const health = scopeHealth(scope, context.phones, context.findings);
      const finding = context.findings.find((f) => f.scope === scope);
      const now = context.now.toISOString();
      const note = input.note ? `opened by hand: ${input.note}` : 'opened by hand';
      const incident = await this.ledger.open(manager, context, {
        scope,
        kind: input.kind ?? 'outage',
        title: input.title,
        openedBy: 'manual',
        origin: originOfScope(scope),
        evidence: [note, ...(finding?.evidence ?? [])],
        affected: health?.affected ?? [],
        conditions: { manual: { active: true, since: now, detail: note } },
        override:
          input.origin !== undefined || input.planned !== undefined
            ? { origin: input.origin, planned: input.planned }
            : undefined,
        detail: note,
      });
      if (!incident) throw new IncidentAlreadyOpenError(scope, (await this.openId(manager, scope)) ?? '');
      return incident.id;
    });
    return this.get(id);
  }

  /** Resolves an open incident by hand. 409 when resolved already. */
  resolve(id: string, note?: string): Promise<IncidentView> {
    return this.change(id, async (manager, incident, now) => {
      if (incident.resolvedAt) conflict(incident, 'resolve', 'it is resolved already');
      await this.ledger.resolve(
        manager,
        incident,
        'manual',
        note ? `resolved by hand: ${note}` : 'resolved by hand',
        now,
      );
    });
  }

  /** Adds a note to the timeline (`incident.updated`, change `note`). */
  addNote(id: string, text: string): Promise<IncidentView> {
    return this.change(id, async (manager, incident, now) => {
      await appendTimeline(manager, [{ incidentId: incident.id, at: now, type: 'note', detail: text }]);
      await this.events.publish(manager, updatedEvent(incident, 'note', text, now));
    });
  }

  /**
   * Records the RCA (RFO) of a resolved incident; `incident.rca_due` is then never published.
   * 409 while open or when recorded already.
   */
  recordRca(id: string, rca: { summary: string; url?: string }): Promise<IncidentView> {
    return this.change(id, async (manager, incident, now) => {
      if (!incident.resolvedAt) conflict(incident, 'record the RCA of', 'it is not resolved yet');
      if (incident.rcaRecordedAt) conflict(incident, 'record the RCA of', 'its RCA was recorded already');
      incident.rca = { summary: rca.summary, url: rca.url ?? null, recordedAt: now.toISOString() };
      incident.rcaRecordedAt = now;
      incident.updatedAt = now;
      await this.ledger.save(manager, incident);
      const late = incident.rcaDueAt && now > incident.rcaDueAt ? ' (after it was due)' : '';
      const detail = `RCA recorded${late}: ${rca.summary}`;
      await appendTimeline(manager, [{ incidentId: incident.id, at: now, type: 'rca_recorded', detail }]);
      await this.events.publish(manager, updatedEvent(incident, 'rca_recorded', detail, now));
    });
  }

  /**
   * Reclassifies by hand: the timeline records the old and new classification and the reason;
   * expected restoration (open) or the RCA deadline (resolved) follow the new classification.
   * Signals no longer change it.
   */
  reclassify(id: string, input: Reclassification): Promise<IncidentView> {
    return this.change(id, async (manager, incident, now) => {
      const origin = input.origin ?? (incident.origin as IncidentOrigin);
      const planned = input.planned ?? incident.planned;
      const before = `${incident.origin} ${incident.planned ? 'planned' : 'unplanned'}`;
      const after = `${origin} ${planned ? 'planned' : 'unplanned'}`;
      if (before === after) conflict(incident, 'reclassify', `it is classified ${after} already`);
      incident.origin = origin;
      incident.planned = planned;
      incident.classifiedBy = 'manual';
      incident.evidence = [...incident.evidence, `reclassified by hand: ${input.reason}`];
      if (incident.resolvedAt) {
        incident.rcaDueAt = rcaDueAt(origin, planned, incident.resolvedAt);
      } else {
        const restore = expectedRestore(
          origin,
          planned,
          incident.openedAt,
          planned ? incident.expectedRestoreBy : null,
        );
        incident.expectedRestoreFrom = restore.from;
        incident.expectedRestoreBy = restore.by;
      }
      incident.updatedAt = now;
      await this.ledger.save(manager, incident);
      const detail = `reclassified by hand from ${before} to ${after}: ${input.reason}`;
      await appendTimeline(manager, [{ incidentId: incident.id, at: now, type: 'reclassified', detail }]);
      await this.events.publish(manager, updatedEvent(incident, 'reclassified', detail, now));
    });
  }

  private async change(
    id: string,
    work: (manager: EntityManager, incident: IncidentEntity, now: Date) => Promise<void>,
  ): Promise<IncidentView> {
    await this.db.transaction(async (manager) => {
      await this.ledger.lock(manager);
      const incident = await manager.findOneBy(IncidentEntity, { id });
      if (!incident) throw new IncidentNotFoundError(id);
      await work(manager, incident, this.clock.now());
    });
    return this.get(id);
  }

  private async openId(manager: EntityManager, scope: string): Promise<string | undefined> {
    return (await manager.findOneBy(IncidentEntity, { scope, resolvedAt: IsNull() }))?.id;
  }
}

function conflict(incident: IncidentEntity, action: IncidentAction, reason: string): never {
  throw new IncidentStateConflictError(incident.id, action, reason);
}
