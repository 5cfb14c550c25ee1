import { Injectable } from '@nestjs/common';
import { IsNull, LessThanOrEqual, MoreThan, type EntityManager } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import { ExoPhoneDirectory } from '../exophones/exophone-directory.service';
import type { PhoneHealth } from '../exophones/exophone-health.types';
import { LastHeartbeat } from '../exophones/last-heartbeat.port';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { healthFindings, regionOf, type ScopeFinding } from './health-shape';
import { incidentAdvice } from './incident-advice';
import { expectedRestore, rcaDueAt } from './incident-clocks';
import { appendTimeline, openedEvent, resolvedEvent, setAffected } from './incident-records';
import { parseScope, scopeCovers, type AffectedDirection } from './incident-scope';
import { IncidentEntity } from './incident.entity';
import type { IncidentConditions, IncidentKindName, IncidentOrigin } from './incident.types';
import { MaintenanceWindowEntity } from './maintenance-window.entity';
import { ulidFactory } from '../persistence/ulid-factory';

/** What a change to incidents looks at, read once inside its transaction. */
export interface IncidentContext {
  readonly now: Date;
  readonly phones: PhoneHealth[];
  readonly findings: ScopeFinding[];
  /** Unresolved incidents by scope. */
  readonly open: Map<string, IncidentEntity>;
  /** Maintenance windows in force now. */
  readonly windows: MaintenanceWindowEntity[];
  readonly regionOf: (sid: string) => string | null;
  /** Status of the last heartbeat applied (`OK`, `WARNING`, `CRITICAL`, `PAYLOAD_TOO_LARGE`), if any. */
  readonly heartbeatStatus: string | null;
}

/** An incident to open. */
export interface OpenIncidentInput {
  readonly scope: string;
  readonly kind: IncidentKindName;
  readonly title?: string;
  readonly openedBy: 'signal' | 'manual';
  readonly conditions: IncidentConditions;
  /** Origin by the outage's shape (a maintenance window's source wins when it makes it planned). */
  readonly origin: IncidentOrigin;
  readonly evidence: readonly string[];
  readonly affected: readonly AffectedDirection[];
  /** Given by hand: the classification is then manual. */
  readonly override?: { readonly origin?: IncidentOrigin; readonly planned?: boolean };
  /** The timeline entry of the opening. */
  readonly detail: string;
  readonly eventId?: string | null;
}

/**
 * The incident records and the moves every path shares (signals, the API, the jobs): reading the
 * context, opening with classification, clocks and advice, resolving with the RCA clock. Every
 * method runs inside the caller's transaction, after `lock()`, and publishes its events there.
 */
@Injectable()
export class IncidentLedger {
  private readonly nextId = ulidFactory();

  constructor(
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    @InjectExotelOptions('exophones') private readonly exophones: ResolvedExotelOptions['exophones'],
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly directory: ExoPhoneDirectory,
    private readonly lastHeartbeat: LastHeartbeat,
  ) {}

  /**
   * Takes the incidents lock for the rest of the transaction. Incident changes are rare, and one
   * order of changes across replicas keeps "one open incident per scope" and the timeline simple;
   * the partial unique index on the scope holds even without it.
   */
  lock(manager: EntityManager): Promise<void> {
    return this.db.lockUntilCommit(manager, `exotel-incidents:${this.credentials.accountSid}`);
  }

  /** Reads the ExoPhones' health, the open incidents and the windows in force. */
  async context(manager: EntityManager, now: Date): Promise<IncidentContext> {
    const phones = await this.directory.health(manager);
    const open = await manager.find(IncidentEntity, {
      where: { resolvedAt: IsNull() },
      order: { openedAt: 'ASC' },
    });
    const windows = await manager.find(MaintenanceWindowEntity, {
      where: { startsAt: LessThanOrEqual(now), endsAt: MoreThan(now) },
      order: { startsAt: 'ASC', id: 'ASC' },
    });
    const regions = new Map(phones.map((p) => [p.sid, regionOf(p)]));
    const heartbeatStatus = await this.lastHeartbeat.statusType(manager);
    return {
      now,
      phones,
      findings: healthFindings(phones).map((finding) =>
        heartbeatStatus === 'CRITICAL' || heartbeatStatus === 'WARNING'
          ? { ...finding, evidence: [...finding.evidence, `the last heartbeat said ${heartbeatStatus}`] }
          : finding,
      ),
      heartbeatStatus,
      open: new Map(open.map((i) => [i.scope, i])),
      windows,
      regionOf: (sid) => regions.get(sid) ?? null,
    };
  }

  /** Advice for affected directions, from the context's health. */
  advise(context: IncidentContext, affected: readonly AffectedDirection[]) {
    return incidentAdvice(
      affected,
      context.phones,
      this.directory.failoverPlan(context.phones, this.exophones.failoverPool),
    );
  }

  /**
   * Opens an incident unless its scope has one open (then resolves to null: another replica or
   * request won). Planned when a window in force covers it; clocks from the classification.
   */
  async open(
    manager: EntityManager,
    context: IncidentContext,
    input: OpenIncidentInput,
  ): Promise<IncidentEntity | null> {
    const { now } = context;
    const window = context.windows.find((w) =>
      scopeCovers(w.scope, input.scope, input.affected, context.regionOf),
    );
    const planned = input.override?.planned ?? window !== undefined;
    const origin =
      input.override?.origin ?? (planned && window ? (window.source as IncidentOrigin) : input.origin);
    const evidence = [...input.evidence];
    if (window && planned)
      evidence.push(
        `inside maintenance window ${window.id} on ${window.scope} announced by ${window.source} ` +
          `(${window.startsAt.toISOString()} to ${window.endsAt.toISOString()})`,
      );
    if (input.override?.origin !== undefined || input.override?.planned !== undefined)
      evidence.push('classified by hand when opened');
    const restore = expectedRestore(origin, planned, now, planned && window ? window.endsAt : null);
    const incident: IncidentEntity = {
      id: this.nextId(now.getTime()),
      scope: input.scope,
      kind: input.kind,
      title: (input.title ?? defaultTitle(input.kind, input.scope)).slice(0, 200),
      origin,
      planned,
      evidence,
      classifiedBy: input.override ? 'manual' : 'signals',
      maintenanceWindowId: planned && window ? window.id : null,
      affected: [],
      affectedTotal: 0,
      conditions: input.conditions,
      advice: { alternates: [], warnings: [], moves: [] },
      openedBy: input.openedBy,
      openedAt: now,
      expectedRestoreFrom: restore.from,
      expectedRestoreBy: restore.by,
      escalatedAt: null,
      resolvedAt: null,
      resolvedBy: null,
      rcaDueAt: null,
      rca: null,
      rcaRecordedAt: null,
      rcaDueSignalledAt: null,
      updatedAt: now,
    };
    setAffected(incident, input.affected);
    incident.advice = this.advise(context, input.affected);
    // ON CONFLICT DO NOTHING: the partial unique index on open scopes decides who opens it.
    await manager
      .createQueryBuilder()
      .insert()
      .into(IncidentEntity)
      .values(incident)
      .orIgnore()
      .updateEntity(false)
      .execute();
    if (!(await manager.existsBy(IncidentEntity, { id: incident.id }))) return null;
    context.open.set(incident.scope, incident);
    await appendTimeline(manager, [
      {
        incidentId: incident.id,
        at: now,
        type: 'opened',
        detail: `${input.detail}; classified ${origin}${planned ? ' planned' : ' unplanned'}: ${evidence.join('; ')}`,
        eventId: input.eventId ?? null,
      },
    ]);
    await this.events.publish(manager, openedEvent(incident));
    return incident;
  }

  /** Resolves an open incident and starts its RCA clock. */
  async resolve(
    manager: EntityManager,
    incident: IncidentEntity,
    by: 'signals' | 'manual',
    detail: string,
    now: Date,
  ): Promise<void> {
    incident.resolvedAt = now;
    incident.resolvedBy = by;
    incident.rcaDueAt = rcaDueAt(incident.origin as IncidentOrigin, incident.planned, now);
    incident.updatedAt = now;
    await this.save(manager, incident);
    const rca = incident.rcaDueAt ? `; RCA due by ${incident.rcaDueAt.toISOString()}` : '; no RCA due';
    await appendTimeline(manager, [
      { incidentId: incident.id, at: now, type: 'resolved', detail: detail + rca },
    ]);
    await this.events.publish(manager, resolvedEvent(incident));
  }

  /**
   * Writes an incident's mutable columns. The once-only marks (`escalatedAt`, `rcaDueSignalledAt`)
   * are left alone: only the watch job's conditional updates set them.
   */
  async save(manager: EntityManager, incident: IncidentEntity): Promise<void> {
    const { id, escalatedAt, rcaDueSignalledAt, ...columns } = incident;
    void escalatedAt;
    void rcaDueSignalledAt;
    await manager.update(IncidentEntity, { id }, columns);
  }
}

/** A title that says what and where. */
function defaultTitle(kind: IncidentKindName, scope: string): string {
  const what = kind === 'outage' ? 'Outage' : 'Degraded performance';
  const parsed = parseScope(scope);
  if (!parsed) return `${what}: ${scope}`;
  switch (parsed.kind) {
    case 'exotel':
      return `${what}: Exotel (every ExoPhone or the API)`;
    case 'api_latency':
      return `${what}: Exotel API latency`;
    case 'region':
      return `${what}: ExoPhones in region ${parsed.region}`;
    case 'exophone':
      return `${what}: ExoPhone ${parsed.sid}`;
  }
}

/** Origin by the shape of a scope: Exotel for everything or the API, the operator for a region. */
export function originOfScope(scope: string): IncidentOrigin {
  const parsed = parseScope(scope);
  if (!parsed) return 'unknown';
  if (parsed.kind === 'exotel' || parsed.kind === 'api_latency') return 'exotel';
  if (parsed.kind === 'region') return parsed.region === 'unknown' ? 'unknown' : 'operator';
  return 'unknown';
}
