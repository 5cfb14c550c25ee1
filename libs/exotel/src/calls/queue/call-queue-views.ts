import type { ResolvedExotelOptions } from '../../options/exotel-module-options.interface';
import type { CallBatchEntity } from './call-batch.entity';
import type { CallBatchView, QueuedCallView } from './call-queue.types';
import type { QueuedCallEntity, QueuedCallState } from './queued-call.entity';

/** A queued call as the API shows it. */
export function toQueuedCallView(row: QueuedCallEntity): QueuedCallView {
  return {
    id: row.id,
    batchId: row.batchId,
    state: row.state,
    purpose: row.input.purpose ?? 'transactional',
    notBefore: row.notBefore,
    callId: row.callId,
    reason: row.reason,
    createdAt: row.createdAt,
  };
}

/** A batch with its counts; the ETA assumes the account's whole voice budget goes to the queue. */
export function toBatchView(
  batch: CallBatchEntity,
  counts: Record<QueuedCallState, number>,
  now: Date,
  rateLimit: ResolvedExotelOptions['rateLimit'],
): CallBatchView {
  const total = counts.queued + counts.placed + counts.cancelled + counts.failed;
  const perMs = rateLimit.voiceRequestsPerMinute / rateLimit.periodMs;
  return {
    id: batch.id,
    name: batch.name,
    purpose: batch.purpose,
    total,
    counts,
    progress: total === 0 ? 1 : (total - counts.queued) / total,
    eta: counts.queued === 0 ? null : new Date(now.getTime() + Math.ceil(counts.queued / perMs)),
    createdAt: batch.createdAt,
    completedAt: batch.completedAt,
  };
}
