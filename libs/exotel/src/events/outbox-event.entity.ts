import { Column, Entity, Index } from 'typeorm';
import { numericTransformer } from '../persistence/numeric.transformer';

/**
 * One event waiting in (or delivered from) the transactional outbox. Rows are written in the same
 * transaction as the state change they describe, so an event exists if and only if its change was
 * committed. Two deliveries are tracked separately: to in-process handlers (`dispatched_at`) and to
 * Kafka (`published_at`), each with its own claim (owner and expiry) taken in a short transaction
 * before delivery, so a Kafka outage never holds back in-process reactions and no transaction or
 * row lock is held while an event is sent.
 */
@Entity('exotel_outbox_events')
@Index('UQ_exotel_outbox_aggregate_sequence', ['family', 'subject', 'sequence'], { unique: true })
@Index('IDX_exotel_outbox_undispatched', ['position'], { where: '"dispatched_at" IS NULL' })
@Index('IDX_exotel_outbox_unpublished', ['position'], { where: '"published_at" IS NULL' })
export class OutboxEventEntity {
  /** Insertion order across all aggregates. */
  @Column({ type: 'integer', primary: true, generated: 'increment', transformer: numericTransformer })
  position!: number;

  @Column({ type: 'varchar', length: 26, unique: true })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'varchar', length: 200 })
  source!: string;

  @Column({ type: 'varchar', length: 20 })
  family!: string;

  @Column({ type: 'varchar', length: 200 })
  subject!: string;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: Date })
  time!: Date;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  /** When in-process handlers were done with it. */
  @Column({ name: 'dispatched_at', type: Date, nullable: true })
  dispatchedAt!: Date | null;

  /** When Kafka acknowledged it (all in-sync replicas). */
  @Column({ name: 'published_at', type: Date, nullable: true })
  publishedAt!: Date | null;

  /** The relay delivering it in-process now (PostgreSQL), until `dispatch_claim_expires_at`. */
  @Column({ name: 'dispatch_claimed_by', type: 'varchar', length: 64, nullable: true })
  dispatchClaimedBy!: string | null;

  /** When the in-process claim lapses and another relay may take the event over. */
  @Column({ name: 'dispatch_claim_expires_at', type: Date, nullable: true })
  dispatchClaimExpiresAt!: Date | null;

  /** The relay publishing it to Kafka now (PostgreSQL), until `publish_claim_expires_at`. */
  @Column({ name: 'publish_claimed_by', type: 'varchar', length: 64, nullable: true })
  publishClaimedBy!: string | null;

  /** When the Kafka claim lapses and another relay may take the event over. */
  @Column({ name: 'publish_claim_expires_at', type: Date, nullable: true })
  publishClaimExpiresAt!: Date | null;

  /** Failed attempts to publish it to Kafka. */
  @Column({ name: 'publish_attempts', type: 'integer', default: 0 })
  publishAttempts!: number;

  /** The last publishing error, for operators. */
  @Column({ name: 'last_publish_error', type: 'varchar', length: 500, nullable: true })
  lastPublishError!: string | null;
}
