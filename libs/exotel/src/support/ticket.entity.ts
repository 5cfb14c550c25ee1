import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A support ticket and the SLA it is measured against. The targets and coverage are copied from
 * the policy version in force when the ticket opened (or from a third-party SLA), so a later policy
 * change, or a version removed from the options, never changes an open ticket's deadlines.
 */
@Entity('exotel_support_tickets')
@Index('IDX_exotel_support_tickets_opened', ['openedAt'])
@Index('IDX_exotel_support_tickets_unresolved', ['openedAt'], { where: '"resolved_at" IS NULL' })
@Index('UQ_exotel_support_tickets_incident', ['incidentId'], {
  unique: true,
  where: '"incident_id" IS NOT NULL',
})
export class TicketEntity {
  /** ULID. */
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  /** 1 (most urgent) to 4. */
  @Column({ type: 'integer' })
  severity!: number;

  /** `enterprise`, `sme` or `smb`. */
  @Column({ type: 'varchar', length: 20 })
  plan!: string;

  /** `open`, `waiting_on_customer` or `resolved`. */
  @Column({ type: 'varchar', length: 30 })
  status!: string;

  /** Id of the policy version in force when the ticket opened. */
  @Column({ name: 'policy_version', type: 'varchar', length: 60 })
  policyVersion!: string;

  /** `policy` (Exotel's table) or `third_party` (an integration's own SLA). */
  @Column({ name: 'sla_source', type: 'varchar', length: 20 })
  slaSource!: string;

  /** The integration whose SLA applies, for `third_party` tickets. */
  @Column({ name: 'third_party_integration', type: 'varchar', length: 100, nullable: true })
  thirdPartyIntegration!: string | null;

  @Column({ name: 'acknowledgement_target_minutes', type: 'integer' })
  acknowledgementTargetMinutes!: number;

  @Column({ name: 'response_target_minutes', type: 'integer' })
  responseTargetMinutes!: number;

  /** Coverage: null for 24x7, else the daily window's IANA zone and `HH:mm` bounds. */
  @Column({ name: 'coverage_time_zone', type: 'varchar', length: 60, nullable: true })
  coverageTimeZone!: string | null;

  @Column({ name: 'coverage_from', type: 'varchar', length: 5, nullable: true })
  coverageFrom!: string | null;

  @Column({ name: 'coverage_to', type: 'varchar', length: 5, nullable: true })
  coverageTo!: string | null;

  /** The incident the ticket was opened for; one ticket per incident. */
  @Column({ name: 'incident_id', type: 'varchar', length: 100, nullable: true })
  incidentId!: string | null;

  /** When the SLA clocks started (earlier than `created_at` for imported tickets). */
  @Column({ name: 'opened_at', type: Date })
  openedAt!: Date;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'acknowledged_at', type: Date, nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'responded_at', type: Date, nullable: true })
  respondedAt!: Date | null;

  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt!: Date | null;
}
