import { z } from 'zod';
import { isoInstant } from '../events/event-schema.helpers';

const affectedSchema = z.object({ exoPhoneSid: z.string(), direction: z.enum(['incoming', 'outgoing']) });

const classificationSchema = z.object({
  /** Operator (one region or operator affected) or Exotel itself (everything, or the API). */
  origin: z.enum(['operator', 'exotel', 'unknown']),
  planned: z.boolean(),
  evidence: z.array(z.string()),
});

/** Events of the `exotel.incidents` topic. Subject: the incident id (maintenance events: the window id). */
export const incidentEventSchemas = {
  'incident.opened': z.object({
    incidentId: z.string(),
    scope: z.string(),
    kind: z.enum(['outage', 'degraded_performance']),
    classification: classificationSchema,
    affected: z.array(affectedSchema),
    openedAt: isoInstant,
    expectedRestoreBy: isoInstant.nullable(),
    advice: z.object({ alternates: z.array(z.string()), warnings: z.array(z.string()) }),
    title: z.string().optional(),
    /** Restoration expected from (Exotel-specific unplanned: 2 h after opening). */
    expectedRestoreFrom: isoInstant.nullable().optional(),
    /** Affected directions in all; `affected` lists at most 500. */
    affectedTotal: z.number().int().nonnegative().optional(),
    /** The maintenance window that makes it planned. */
    maintenanceWindowId: z.string().nullable().optional(),
  }),
  'incident.updated': z.object({
    incidentId: z.string(),
    change: z.enum(['escalated', 'reclassified', 'affected_changed', 'acknowledged', 'note', 'rca_recorded']),
    detail: z.string(),
    classification: classificationSchema.optional(),
    affected: z.array(affectedSchema).optional(),
    expectedRestoreBy: isoInstant.nullable().optional(),
    /** Set when a reclassification of a resolved incident changes when its RCA is due. */
    rcaDueAt: isoInstant.nullable().optional(),
  }),
  'incident.resolved': z.object({
    incidentId: z.string(),
    resolvedAt: isoInstant,
    durationSeconds: z.number().nonnegative(),
    rcaDueAt: isoInstant.nullable(),
    /** `signals` (health returned) or `manual`. */
    resolvedBy: z.enum(['signals', 'manual']).optional(),
  }),
  'incident.rca_due': z.object({
    incidentId: z.string(),
    rcaDueAt: isoInstant,
  }),
  'maintenance.scheduled': z.object({
    windowId: z.string(),
    scope: z.string(),
    source: z.enum(['operator', 'exotel']),
    startsAt: isoInstant,
    endsAt: isoInstant,
  }),
  'maintenance.started': z.object({ windowId: z.string(), scope: z.string(), startedAt: isoInstant }),
  'maintenance.ended': z.object({ windowId: z.string(), scope: z.string(), endedAt: isoInstant }),
} as const;
