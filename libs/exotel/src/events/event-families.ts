/** Topic families: one Kafka topic per family (`<prefix>.<family>`). */
export type ExotelEventFamily = 'exophones' | 'calls' | 'incidents' | 'support';

const FAMILY_BY_PREFIX: Readonly<Record<string, ExotelEventFamily>> = {
  exophone: 'exophones',
  heartbeat: 'exophones',
  call: 'calls',
  stream: 'calls',
  incident: 'incidents',
  maintenance: 'incidents',
  ticket: 'support',
  sla: 'support',
  voice: 'calls',
};

/** The family of an event type, from its prefix (`call.initiated` -> `calls`). */
export function familyOf(type: string): ExotelEventFamily {
  const family = FAMILY_BY_PREFIX[type.split('.')[0]];
  if (!family) throw new Error(`Event type ${type} belongs to no topic family`);
  return family;
}
