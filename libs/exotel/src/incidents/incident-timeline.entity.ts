import { Column, Entity, Index } from 'typeorm';
import { numericTransformer } from '../persistence/numeric.transformer';

/** What a timeline entry records. */
export type TimelineEntryType =
  | 'signal'
  | 'opened'
  | 'affected_changed'
  | 'reclassified'
  | 'escalated'
  | 'note'
  | 'rca_recorded'
  | 'rca_due'
  | 'resolved';

/** Structured detail of a timeline entry (the signal's event data, flat). */
export type TimelineData = Record<string, string | number | boolean | null | string[]>;

/**
 * One entry of an incident's timeline: a signal seen, a change of state, a note. Entries made
 * from an event carry its id; the unique index makes a redelivered event add nothing.
 */
@Entity('exotel_incident_timeline')
@Index('IDX_exotel_incident_timeline_incident', ['incidentId', 'id'])
@Index('UQ_exotel_incident_timeline_event', ['eventId', 'incidentId'], {
  unique: true,
  where: '"event_id" IS NOT NULL',
})
export class IncidentTimelineEntity {
  @Column({ type: 'integer', primary: true, generated: 'increment', transformer: numericTransformer })
  id!: number;

  @Column({ name: 'incident_id', type: 'varchar', length: 26 })
  incidentId!: string;

  @Column({ type: Date })
  at!: Date;

  @Column({ type: 'varchar', length: 30 })
  type!: TimelineEntryType;

  @Column({ type: 'varchar', length: 2000 })
  detail!: string;

  /** The event the entry was made from, if any. */
  @Column({ name: 'event_id', type: 'varchar', length: 26, nullable: true })
  eventId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  data!: TimelineData | null;
}
