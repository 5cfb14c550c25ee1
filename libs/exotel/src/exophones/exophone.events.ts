import { z } from 'zod';
import { e164, isoInstant } from '../events/event-schema.helpers';

/** Health of one direction of an ExoPhone; `unknown` when it could not be observed. */
export const exoPhoneHealthStateSchema = z.enum([
  'active',
  'partial_network_outage',
  'major_outage',
  'unknown',
]);

/** Events of the `exotel.exophones` topic. Subject: the ExoPhone SID (heartbeat events: the account SID). */
export const exoPhoneEventSchemas = {
  /** One direction of an ExoPhone changed health. */
  'exophone.health_changed': z.object({
    exoPhoneSid: z.string(),
    phoneNumber: e164.nullable(),
    region: z.string().nullable(),
    direction: z.enum(['incoming', 'outgoing']),
    previous: exoPhoneHealthStateSchema,
    current: exoPhoneHealthStateSchema,
    /** What observed the change. */
    source: z.enum(['heartbeat', 'sweep', 'inventory', 'manual']),
    observedAt: isoInstant,
    /** Exotel's suggested alternates for this direction, if any. */
    alternateExoPhones: z.array(z.string()),
    /** Printed on a website: inbound failover cannot help. */
    customerFacing: z.boolean(),
  }),
  /**
   * Whether an ExoPhone counts as customer-facing changed: an operator marked it (or cleared the
   * mark), or the inventory sync found the `exophones.customerFacing` option saying otherwise.
   */
  'exophone.customer_facing_changed': z.object({
    exoPhoneSid: z.string(),
    phoneNumber: e164.nullable(),
    /** The effective value: the operator's mark when there is one, else the options. */
    customerFacing: z.boolean(),
    /** The operator's mark; null: the options decide. */
    mark: z.boolean().nullable(),
    source: z.enum(['operator', 'options']),
  }),
  /** No heartbeat arrived for twice the configured frequency. */
  'heartbeat.missed': z.object({
    lastHeartbeatAt: isoInstant.nullable(),
    expectedEverySeconds: z.number().int().positive(),
    silentForSeconds: z.number().nonnegative(),
  }),
  /** Heartbeats arrive again after `heartbeat.missed`. */
  'heartbeat.restored': z.object({
    heartbeatAt: isoInstant,
    silentForSeconds: z.number().nonnegative(),
  }),
} as const;
