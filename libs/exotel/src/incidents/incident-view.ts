import type { IncidentTimelineEntity, TimelineEntryType } from './incident-timeline.entity';
import type { IncidentEntity } from './incident.entity';
import type { AffectedDirection } from './incident-scope';
import type {
  IncidentAdvice,
  IncidentClassification,
  IncidentConditions,
  IncidentKindName,
  IncidentRca,
  IncidentStatus,
} from './incident.types';

/** One timeline entry as the API shows it. */
export interface IncidentTimelineEntry {
  readonly at: string;
  readonly type: TimelineEntryType;
  readonly detail: string;
  readonly eventId: string | null;
}

/** An incident as `IncidentService` returns it; times in ISO 8601. */
export interface IncidentView {
  readonly id: string;
  readonly scope: string;
  readonly kind: IncidentKindName;
  readonly title: string;
  readonly status: IncidentStatus;
  readonly classification: IncidentClassification & { readonly by: 'signals' | 'manual' };
  readonly maintenanceWindowId: string | null;
  readonly affected: readonly AffectedDirection[];
  readonly affectedTotal: number;
  readonly conditions: IncidentConditions;
  readonly advice: IncidentAdvice;
  readonly openedBy: 'signal' | 'manual';
  readonly openedAt: string;
  readonly expectedRestore: { readonly from: string | null; readonly by: string | null };
  readonly escalatedAt: string | null;
  readonly resolvedAt: string | null;
  readonly resolvedBy: 'signals' | 'manual' | null;
  readonly rcaDueAt: string | null;
  readonly rca: IncidentRca | null;
  /** Only on `get`: every signal, change and note, oldest first. */
  readonly timeline?: readonly IncidentTimelineEntry[];
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The view of a row, with its timeline when given. */
export function toIncidentView(
  row: IncidentEntity,
  timeline?: readonly IncidentTimelineEntity[],
): IncidentView {
  return {
    id: row.id,
    scope: row.scope,
    kind: row.kind as IncidentKindName,
    title: row.title,
    status: row.resolvedAt ? 'resolved' : 'open',
    classification: {
      origin: row.origin as IncidentClassification['origin'],
      planned: row.planned,
      evidence: row.evidence,
      by: row.classifiedBy === 'manual' ? 'manual' : 'signals',
    },
    maintenanceWindowId: row.maintenanceWindowId,
    affected: row.affected,
    affectedTotal: row.affectedTotal,
    conditions: row.conditions,
    advice: row.advice,
    openedBy: row.openedBy === 'manual' ? 'manual' : 'signal',
    openedAt: row.openedAt.toISOString(),
    expectedRestore: { from: iso(row.expectedRestoreFrom), by: iso(row.expectedRestoreBy) },
    escalatedAt: iso(row.escalatedAt),
    resolvedAt: iso(row.resolvedAt),
    resolvedBy: row.resolvedBy === 'manual' || row.resolvedBy === 'signals' ? row.resolvedBy : null,
    rcaDueAt: iso(row.rcaDueAt),
    rca: row.rca,
    ...(timeline
      ? {
          timeline: timeline.map((t) => ({
            at: t.at.toISOString(),
            type: t.type,
            detail: t.detail,
            eventId: t.eventId,
          })),
        }
      : {}),
  };
}
