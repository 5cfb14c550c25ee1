import type { EntityManager } from 'typeorm';
import type { CataloguedEventInput } from '../events/event-catalogue';
import {
  IncidentTimelineEntity,
  type TimelineData,
  type TimelineEntryType,
} from './incident-timeline.entity';
import type { IncidentEntity } from './incident.entity';
import type { AffectedDirection } from './incident-scope';
import type { IncidentOrigin } from './incident.types';

/** Affected directions listed on an incident and in its events; `affectedTotal` counts them all. */
const AFFECTED_LIMIT = 500;

/** Evidence kept per incident: the reasons given when it was classified, oldest first. */
const EVIDENCE_LIMIT = 40;

/** A timeline entry to add. */
export interface TimelineInput {
  readonly incidentId: string;
  readonly at: Date;
  readonly type: TimelineEntryType;
  readonly detail: string;
  readonly eventId?: string | null;
  readonly data?: TimelineData | null;
}

/** Appends timeline entries; an entry from an event already recorded on that incident is skipped. */
export async function appendTimeline(
  manager: EntityManager,
  entries: readonly TimelineInput[],
): Promise<void> {
  for (let i = 0; i < entries.length; i += 200) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(IncidentTimelineEntity)
      .values(
        entries.slice(i, i + 200).map((e) =>
          manager.create(IncidentTimelineEntity, {
            incidentId: e.incidentId,
            at: e.at,
            type: e.type,
            detail: e.detail.slice(0, 2000),
            eventId: e.eventId ?? null,
            data: e.data ?? null,
          }),
        ),
      )
      .orIgnore()
      .updateEntity(false)
      .execute();
  }
}

/** Adds reasons to an incident's evidence (once each, bounded). */
export function addEvidence(incident: IncidentEntity, reasons: readonly string[]): boolean {
  const before = incident.evidence.length;
  const merged = [...incident.evidence];
  for (const reason of reasons) if (!merged.includes(reason)) merged.push(reason);
  incident.evidence = merged.length > EVIDENCE_LIMIT ? merged.slice(merged.length - EVIDENCE_LIMIT) : merged;
  return incident.evidence.length !== before || merged.length > EVIDENCE_LIMIT;
}

/** Sets the affected list (bounded) and total; true when it changed. */
export function setAffected(incident: IncidentEntity, affected: readonly AffectedDirection[]): boolean {
  const sorted = [...affected].sort((a, b) =>
    a.exoPhoneSid === b.exoPhoneSid
      ? a.direction.localeCompare(b.direction)
      : a.exoPhoneSid.localeCompare(b.exoPhoneSid),
  );
  const listed = sorted.slice(0, AFFECTED_LIMIT);
  const same =
    incident.affectedTotal === sorted.length &&
    incident.affected.length === listed.length &&
    incident.affected.every(
      (a, i) => a.exoPhoneSid === listed[i].exoPhoneSid && a.direction === listed[i].direction,
    );
  if (same) return false;
  incident.affected = listed;
  incident.affectedTotal = sorted.length;
  return true;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

function classificationOf(incident: IncidentEntity) {
  return {
    origin: incident.origin as IncidentOrigin,
    planned: incident.planned,
    evidence: [...incident.evidence],
  };
}

/** `incident.opened` of an incident as it is now. */
export function openedEvent(incident: IncidentEntity): CataloguedEventInput {
  return {
    type: 'incident.opened',
    subject: incident.id,
    time: incident.openedAt,
    data: {
      incidentId: incident.id,
      scope: incident.scope,
      kind: incident.kind as 'outage' | 'degraded_performance',
      classification: classificationOf(incident),
      affected: incident.affected.map((a) => ({ exoPhoneSid: a.exoPhoneSid, direction: a.direction })),
      openedAt: incident.openedAt.toISOString(),
      expectedRestoreBy: iso(incident.expectedRestoreBy),
      advice: { alternates: [...incident.advice.alternates], warnings: [...incident.advice.warnings] },
      title: incident.title,
      expectedRestoreFrom: iso(incident.expectedRestoreFrom),
      affectedTotal: incident.affectedTotal,
      maintenanceWindowId: incident.maintenanceWindowId,
    },
  };
}

/** The kinds of `incident.updated`. */
export type IncidentChange =
  'escalated' | 'reclassified' | 'affected_changed' | 'acknowledged' | 'note' | 'rca_recorded';

/** `incident.updated` for one change. */
export function updatedEvent(
  incident: IncidentEntity,
  change: IncidentChange,
  detail: string,
  now: Date,
): CataloguedEventInput {
  return {
    type: 'incident.updated',
    subject: incident.id,
    time: now,
    data: {
      incidentId: incident.id,
      change,
      detail: detail.slice(0, 2000),
      ...(change === 'reclassified'
        ? {
            classification: classificationOf(incident),
            expectedRestoreBy: iso(incident.expectedRestoreBy),
            rcaDueAt: iso(incident.rcaDueAt),
          }
        : {}),
      ...(change === 'affected_changed'
        ? { affected: incident.affected.map((a) => ({ exoPhoneSid: a.exoPhoneSid, direction: a.direction })) }
        : {}),
    },
  };
}

/** `incident.resolved`. */
export function resolvedEvent(incident: IncidentEntity): CataloguedEventInput {
  const resolvedAt = incident.resolvedAt!;
  return {
    type: 'incident.resolved',
    subject: incident.id,
    time: resolvedAt,
    data: {
      incidentId: incident.id,
      resolvedAt: resolvedAt.toISOString(),
      durationSeconds: Math.max(0, (resolvedAt.getTime() - incident.openedAt.getTime()) / 1000),
      rcaDueAt: iso(incident.rcaDueAt),
      resolvedBy: incident.resolvedBy === 'manual' ? 'manual' : 'signals',
    },
  };
}
