import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { IncidentAdvice, IncidentConditions, IncidentRca } from './incident.types';
import type { AffectedDirection } from './incident-scope';

/**
 * An incident: downtime or degraded performance of one scope (a region's ExoPhones, every
 * ExoPhone or the API, the API's latency, one ExoPhone). The partial unique index on `scope`
 * while unresolved is what keeps one open incident per scope, whichever replica sees the signal.
 */
@Entity('exotel_incidents')
@Index('UQ_exotel_incidents_open_scope', ['scope'], { unique: true, where: '"resolved_at" IS NULL' })
@Index('IDX_exotel_incidents_opened', ['openedAt'])
export class IncidentEntity {
  /** ULID. */
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  /** `exotel`, `api:latency`, `region:<circle>` or `exophone:<sid>`. */
  @Column({ type: 'varchar', length: 100 })
  scope!: string;

  /** `outage` or `degraded_performance`. */
  @Column({ type: 'varchar', length: 30 })
  kind!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  /** `operator`, `exotel` or `unknown`. */
  @Column({ type: 'varchar', length: 20 })
  origin!: string;

  /** Inside a declared maintenance window. */
  @Column({ type: 'boolean' })
  planned!: boolean;

  /** Why it is classified so, in words. */
  @Column({ type: 'jsonb' })
  evidence!: string[];

  /** `signals` (derived from the evidence) or `manual` (reclassified by hand; signals no longer change it). */
  @Column({ name: 'classified_by', type: 'varchar', length: 20 })
  classifiedBy!: string;

  /** The maintenance window that made it planned. */
  @Column({ name: 'maintenance_window_id', type: 'varchar', length: 26, nullable: true })
  maintenanceWindowId!: string | null;

  /** Affected ExoPhone directions now (at most `AFFECTED_LIMIT` listed). */
  @Column({ type: 'jsonb' })
  affected!: AffectedDirection[];

  @Column({ name: 'affected_total', type: 'integer' })
  affectedTotal!: number;

  /** What keeps it open: each signal source's condition. Resolved when none holds. */
  @Column({ type: 'jsonb' })
  conditions!: IncidentConditions;

  @Column({ type: 'jsonb' })
  advice!: IncidentAdvice;

  /** `signal` or `manual`. */
  @Column({ name: 'opened_by', type: 'varchar', length: 20 })
  openedBy!: string;

  @Column({ name: 'opened_at', type: Date })
  openedAt!: Date;

  /** Restoration expected from (Exotel-specific unplanned: 2 h after opening). */
  @Column({ name: 'expected_restore_from', type: Date, nullable: true })
  expectedRestoreFrom!: Date | null;

  /** Restoration expected by (4 h for Exotel-specific unplanned, the window's end when planned). */
  @Column({ name: 'expected_restore_by', type: Date, nullable: true })
  expectedRestoreBy!: Date | null;

  /** When the escalation for overrunning `expectedRestoreBy` was published (once). */
  @Column({ name: 'escalated_at', type: Date, nullable: true })
  escalatedAt!: Date | null;

  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt!: Date | null;

  /** `signals` (health returned) or `manual`. */
  @Column({ name: 'resolved_by', type: 'varchar', length: 20, nullable: true })
  resolvedBy!: string | null;

  /** Exotel-specific unplanned: resolution + 72 h. Operator-related: none (the operator decides). */
  @Column({ name: 'rca_due_at', type: Date, nullable: true })
  rcaDueAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  rca!: IncidentRca | null;

  @Column({ name: 'rca_recorded_at', type: Date, nullable: true })
  rcaRecordedAt!: Date | null;

  /** When `incident.rca_due` was published (once). */
  @Column({ name: 'rca_due_signalled_at', type: Date, nullable: true })
  rcaDueSignalledAt!: Date | null;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
