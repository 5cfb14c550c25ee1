import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, LessThanOrEqual, Or, type EntityManager } from 'typeorm';
import { EventPublisher } from '../../events/event-publisher';
import { ExotelClock } from '../../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../../options/inject-exotel-options.decorator';
import { bulkInsert } from '../../persistence/bulk-insert';
import { ExotelDatabase } from '../../persistence/exotel-database';
import { ulidFactory } from '../../persistence/ulid-factory';
import { CallBatchCompletedError, CallBatchNotFoundError } from '../call.errors';
import type { ConnectCallInput } from '../call-request';
import { CallBatchEntity } from './call-batch.entity';
import { toBatchView, toQueuedCallView } from './call-queue-views';
import type { CallBatchView, QueuedCallView } from './call-queue.types';
import { QueuedCallEntity, PRIORITY, type QueuedCallState } from './queued-call.entity';

/** A checked call to queue. */
export interface CallToQueue {
  readonly input: ConnectCallInput;
  readonly idempotencyKey?: string;
  readonly notBefore: Date;
  /** 0-9 within its purpose. */
  readonly priority: number;
}

/** What becomes of a claimed call that was not placed. */
export type NotPlaced =
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'postponed'; readonly until: Date; readonly reason: string; readonly blocked?: boolean };

// Rows per INSERT when a batch is stored (its events go to the outbox in the same transaction).
const INSERT_CHUNK = 1_000;

/**
 * The queued calls and their batches in the database: queueing, claims for the dispatchers, the
 * outcome of each claim, batch views and cancelling. Every change runs in one short transaction;
 * none is held while a call is placed.
 */
@Injectable()
export class CallQueue {
  private readonly nextId = ulidFactory();

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    @InjectExotelOptions('rateLimit') private readonly rateLimit: ResolvedExotelOptions['rateLimit'],
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
  ) {}

  /** Queues calls (checked already), in a new batch when `batch` is given; one `call.queued` each. */
  async add(
    calls: readonly CallToQueue[],
    into: { batchId?: string; newBatch?: Pick<CallBatchEntity, 'name' | 'purpose'> } = {},
  ): Promise<{ batchId: string | null; queued: QueuedCallEntity[] }> {
    const now = this.clock.now();
    return this.db.transaction(async (manager) => {
      let batchId = into.batchId ?? null;
      if (into.newBatch) {
        batchId = this.nextId(now.getTime());
        await manager.insert(CallBatchEntity, {
          id: batchId,
          ...into.newBatch,
          total: calls.length,
          createdAt: now,
          completedAt: null,
        });
      } else if (batchId) {
        const batch = await this.lockBatch(manager, batchId);
        if (batch.completedAt) throw new CallBatchCompletedError(batchId);
        await manager.update(CallBatchEntity, { id: batchId }, { total: batch.total + calls.length });
      }
      const rows = calls.map((call) => this.newRow(call, batchId, now));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK);
        await bulkInsert(manager, QueuedCallEntity, chunk);
        await this.events.publish(
          manager,
          chunk.map((row) => ({
            type: 'call.queued' as const,
            subject: row.id,
            time: now,
            data: {
              queuedCallId: row.id,
              batchId,
              purpose: row.input.purpose ?? 'transactional',
              notBefore: row.notBefore.toISOString(),
            },
          })),
        );
      }
      return { batchId, queued: rows };
    });
  }

  /**
   * Takes up to `limit` due calls for this replica until `claimMs` from now, most urgent first
   * (transactional, then priority, then due time, then age); committed before any is placed.
   */
  claim(limit: number): Promise<QueuedCallEntity[]> {
    return this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await manager.find(QueuedCallEntity, {
        where: {
          state: 'queued',
          notBefore: LessThanOrEqual(now),
          claimedUntil: Or(IsNull(), LessThan(now)),
        },
        order: { priority: 'ASC', notBefore: 'ASC', id: 'ASC' },
        take: limit,
        ...(this.db.dialect === 'postgres'
          ? { lock: { mode: 'pessimistic_write' as const, onLocked: 'skip_locked' as const } }
          : {}),
      });
      if (due.length === 0) return [];
      const claimedUntil = new Date(now.getTime() + this.calls.queue.claimMs);
      await manager.update(QueuedCallEntity, { id: In(due.map((c) => c.id)) }, { claimedUntil });
      return due.map((c) => Object.assign(c, { claimedUntil }));
    });
  }

  /** The claimed call was placed (or found placed under its key) as call `callId`. */
  placed(queued: QueuedCallEntity, callId: string): Promise<void> {
    return this.settle(queued, { state: 'placed', callId, reason: null });
  }

  /** The claimed call failed for good, or waits until later (its claim released). */
  notPlaced(queued: QueuedCallEntity, outcome: NotPlaced): Promise<void> {
    if (outcome.kind === 'failed') return this.settle(queued, { state: 'failed', reason: outcome.reason });
    return this.db.transaction(async (manager) => {
      await manager.update(
        QueuedCallEntity,
        { id: queued.id, state: 'queued' },
        {
          notBefore: outcome.until,
          claimedUntil: null,
          reason: outcome.reason.slice(0, 300),
          blockedSince: outcome.blocked ? (queued.blockedSince ?? this.clock.now()) : null,
          updatedAt: this.clock.now(),
        },
      );
    });
  }

  /** A queued call by id; null when unknown. */
  async get(id: string): Promise<QueuedCallView | null> {
    const row = await this.db.read((manager) => manager.findOneBy(QueuedCallEntity, { id }));
    return row && toQueuedCallView(row);
  }

  /** Where a batch stands; throws `CallBatchNotFoundError`. */
  async batch(id: string): Promise<CallBatchView> {
    return this.db.read(async (manager) => {
      const batch = await manager.findOneBy(CallBatchEntity, { id });
      if (!batch) throw new CallBatchNotFoundError(id);
      return toBatchView(batch, await this.counts(manager, id), this.clock.now(), this.rateLimit);
    });
  }

  /** Cancels the batch's calls still waiting (not those a dispatcher is placing now). */
  async cancelBatch(id: string): Promise<CallBatchView> {
    await this.db.transaction(async (manager) => {
      await this.lockBatch(manager, id);
      const now = this.clock.now();
      await manager.update(
        QueuedCallEntity,
        { batchId: id, state: 'queued', claimedUntil: Or(IsNull(), LessThan(now)) },
        { state: 'cancelled', reason: 'cancelled with its batch', updatedAt: now },
      );
      await this.completeIfDone(manager, id, now);
    });
    return this.batch(id);
  }

  private async settle(
    queued: QueuedCallEntity,
    change: { state: QueuedCallState; callId?: string; reason: string | null },
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      const now = this.clock.now();
      if (queued.batchId) await this.lockBatch(manager, queued.batchId);
      await manager.update(
        QueuedCallEntity,
        { id: queued.id, state: 'queued' },
        { ...change, reason: change.reason?.slice(0, 300) ?? null, claimedUntil: null, updatedAt: now },
      );
      if (queued.batchId) await this.completeIfDone(manager, queued.batchId, now);
    });
  }

  /** Publishes `call.batch.completed` once no call of the batch waits (the batch row is locked). */
  private async completeIfDone(manager: EntityManager, batchId: string, now: Date): Promise<void> {
    const counts = await this.counts(manager, batchId);
    if (counts.queued > 0) return;
    const marked = await manager.update(
      CallBatchEntity,
      { id: batchId, completedAt: IsNull() },
      { completedAt: now },
    );
    if (!marked.affected) return;
    const total = counts.placed + counts.cancelled + counts.failed;
    await this.events.publish(manager, {
      type: 'call.batch.completed',
      subject: batchId,
      time: now,
      data: { batchId, total, placed: counts.placed, cancelled: counts.cancelled, failed: counts.failed },
    });
  }

  private async counts(manager: EntityManager, batchId: string): Promise<Record<QueuedCallState, number>> {
    const rows = await manager
      .createQueryBuilder(QueuedCallEntity, 'q')
      .select('q.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .where('q.batch_id = :batchId', { batchId })
      .groupBy('q.state')
      .getRawMany<{ state: QueuedCallState; count: string | number }>();
    const counts = { queued: 0, placed: 0, cancelled: 0, failed: 0 };
    for (const row of rows) counts[row.state] = Number(row.count);
    return counts;
  }

  private async lockBatch(manager: EntityManager, id: string): Promise<CallBatchEntity> {
    const batch = await manager.findOne(CallBatchEntity, {
      where: { id },
      ...(this.db.dialect === 'postgres' ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!batch) throw new CallBatchNotFoundError(id);
    return batch;
  }

  private newRow(call: CallToQueue, batchId: string | null, now: Date): QueuedCallEntity {
    const id = this.nextId(now.getTime());
    const purpose = call.input.purpose ?? 'transactional';
    return Object.assign(new QueuedCallEntity(), {
      id,
      batchId,
      state: 'queued',
      priority: PRIORITY[purpose] * 10 + call.priority,
      notBefore: call.notBefore,
      input: call.input,
      idempotencyKey: call.idempotencyKey ?? `queued:${id}`,
      claimedUntil: null,
      blockedSince: null,
      callId: null,
      reason: null,
      createdAt: now,
      updatedAt: now,
    } satisfies QueuedCallEntity);
  }
}
