import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ConnectCallInput } from '../call-request';

/** Where a queued call stands. `placed`, `cancelled` and `failed` are final. */
export type QueuedCallState = 'queued' | 'placed' | 'cancelled' | 'failed';

/** Dispatch order: transactional calls before promotional ones. */
export const PRIORITY = { transactional: 0, promotional: 1 } as const;

/**
 * A call waiting to be placed (`CallsService.enqueue`, `POST /calls/batches`). A dispatcher on
 * every replica claims due ones (`claimed_until`, taken with `FOR UPDATE SKIP LOCKED` and
 * committed before anything is sent) and places each through `CallsService` under the idempotency
 * key `idempotency_key`, so a claim retaken after a crash finds the call already placed instead
 * of dialling it again. `call_id` is the placed call's record.
 */
@Entity('exotel_queued_calls')
@Index('IDX_exotel_queued_calls_due', ['state', 'priority', 'notBefore', 'id'])
@Index('IDX_exotel_queued_calls_batch', ['batchId', 'state'])
@Index('UQ_exotel_queued_calls_idempotency_key', ['idempotencyKey'], { unique: true })
export class QueuedCallEntity {
  /** ULID (creation order). */
  @PrimaryColumn({ type: 'varchar', length: 26 })
  id!: string;

  @Column({ name: 'batch_id', type: 'varchar', length: 26, nullable: true })
  batchId!: string | null;

  @Column({ type: 'varchar', length: 10 })
  state!: QueuedCallState;

  /** 0 transactional, 1 promotional (dispatched after every due transactional call). */
  @Column({ type: 'integer' })
  priority!: number;

  /** Not placed before this instant (later for promotional calls outside TRAI hours). */
  @Column({ name: 'not_before', type: Date })
  notBefore!: Date;

  /** The call to place, as given to `enqueue` (checked then). */
  @Column({ type: 'simple-json' })
  input!: ConnectCallInput;

  /** The key the call is placed under: the caller's, else `queued:<id>`. */
  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey!: string;

  /** A dispatcher holds the call until then; after it, another may take it. */
  @Column({ name: 'claimed_until', type: Date, nullable: true })
  claimedUntil!: Date | null;

  /** When it first waited for a healthy caller id (it fails after `calls.queue.callerIdWaitMs`). */
  @Column({ name: 'blocked_since', type: Date, nullable: true })
  blockedSince!: Date | null;

  @Column({ name: 'call_id', type: 'varchar', length: 26, nullable: true })
  callId!: string | null;

  /** Why it failed, was cancelled, or is waiting. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  reason!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
