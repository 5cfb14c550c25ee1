import type { CallPurpose, ConnectCallInput } from '../call-request';
import type { QueuedCallState } from './queued-call.entity';

/** How `CallsService.enqueue()` queues a call. */
export interface EnqueueOptions {
  /** Not placed before this instant. @default now */
  readonly notBefore?: Date;
  /**
   * Order among due calls of the same purpose, 0 (first) to 9. Transactional calls always go
   * before promotional ones. @default 5
   */
  readonly priority?: number;
  /** Adds the call to this batch (one that has not completed). */
  readonly batchId?: string;
  /** The call's idempotency key (as `connect()` takes it): a key queued or placed before is refused. */
  readonly idempotencyKey?: string;
}

/** A queued call, as `enqueue()` and the batch views show it. */
export interface QueuedCallView {
  readonly id: string;
  readonly batchId: string | null;
  readonly state: QueuedCallState;
  readonly purpose: CallPurpose;
  readonly notBefore: Date;
  /** The placed call's record, once placed (`CallsService.get`). */
  readonly callId: string | null;
  readonly reason: string | null;
  readonly createdAt: Date;
}

/** A batch to queue (`POST /calls/batches`). */
export interface CallBatchInput {
  /** The calls; each is checked as `connect()` checks it, all or nothing. */
  readonly calls: readonly Omit<ConnectCallInput, 'purpose'>[];
  /** Every call's purpose: promotional calls due outside 09:00-21:00 IST wait for the next window. */
  readonly purpose: CallPurpose;
  readonly notBefore?: Date;
  readonly name?: string;
}

/** Where a batch stands (`GET /calls/batches/:id`). */
export interface CallBatchView {
  readonly id: string;
  readonly name: string | null;
  readonly purpose: CallPurpose;
  readonly total: number;
  readonly counts: Readonly<Record<QueuedCallState, number>>;
  /** Share of the calls in a final state (placed, cancelled, failed), 0 to 1. */
  readonly progress: number;
  /** When the queued calls should all be placed at the account's voice budget; null when none waits. */
  readonly eta: Date | null;
  readonly createdAt: Date;
  readonly completedAt: Date | null;
}
