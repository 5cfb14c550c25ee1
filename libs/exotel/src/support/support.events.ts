import { z } from 'zod';
import { isoInstant } from '../events/event-schema.helpers';

const metricSchema = z.enum(['acknowledgement', 'response']);

/** Events of the `exotel.support` topic. Subject: the ticket id. */
export const supportEventSchemas = {
  'ticket.created': z.object({
    ticketId: z.string(),
    title: z.string(),
    severity: z.number().int().min(1).max(4),
    plan: z.enum(['enterprise', 'sme', 'smb']),
    policyVersion: z.string(),
    openedAt: isoInstant,
    acknowledgementDueAt: isoInstant,
    responseDueAt: isoInstant,
    incidentId: z.string().nullable(),
  }),
  'sla.warning': z.object({
    ticketId: z.string(),
    metric: metricSchema,
    cycle: z.number().int().positive(),
    dueAt: isoInstant,
    elapsedFraction: z.number().nonnegative(),
  }),
  'sla.breached': z.object({
    ticketId: z.string(),
    metric: metricSchema,
    cycle: z.number().int().positive(),
    dueAt: isoInstant,
    breachedAt: isoInstant,
  }),
  'ticket.resolved': z.object({
    ticketId: z.string(),
    resolvedAt: isoInstant,
    acknowledgementMet: z.boolean(),
    responseMet: z.boolean(),
  }),
} as const;
