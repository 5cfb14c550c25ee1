import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { deferred } from '../async/deferred';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine, stackOf } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { isUniqueViolation } from '../persistence/unique-violation';
import type { CallEntity } from './call.entity';
import { toCallRecord, type CallRecord } from './call-record';
import { CallRecording } from './call-recording';
import { CallRecords, type CallListFilter } from './call-records.service';
import { prepareCall, type ConnectCallInput, type PreparedCall } from './call-request';
import { CallSender } from './call-sender';
import { CallSettlements } from './call-settlements';
import { connectCallRequest } from './connect-call-request';
import { IdempotentReplay } from './idempotent-replay';
import { CallNotFoundError } from './call.errors';
import { CallEnqueueing } from './queue/call-enqueueing';
import { CallQueue } from './queue/call-queue';
import type { CallBatchInput, CallBatchView, EnqueueOptions, QueuedCallView } from './queue/call-queue.types';

/** How `connect()` returns. */
export interface ConnectOptions {
  /**
   * Wait for Exotel's answer (default), or return as soon as the call is recorded and let
   * Calls/connect run in the background (its outcome arrives as events and on the record).
   * @default true
   */
  readonly wait?: boolean;
  /**
   * The client's idempotency key (1-128 visible ASCII characters, a UUID for instance). A request
   * that repeats a key gets the call the first one placed, never a second call; the same key with a
   * different request throws `IdempotencyKeyReusedError`. Keys are kept with the call record.
   */
  readonly idempotencyKey?: string;
}

/** What `place()` returns. */
export interface PlacedCall {
  readonly call: CallRecord;
  /** True when an earlier request with the same idempotency key placed this call. */
  readonly replayed: boolean;
}

/**
 * Places calls through Exotel's Calls/connect without ever dialling twice.
 *
 * Each call is checked (numbers in E.164, one target, TRAI hours for promotional calls, Exotel's
 * limits), its caller id goes through failover (`ExoPhoneHealthService.pickCallerId`), and it is
 * recorded with `call.requested` in one transaction before anything is sent (`CallRecording`).
 * Calls/connect is then sent (outside any transaction, `CallSender`) and its outcome recorded in
 * another (`CallSettlements`): `initiated` with a CallSid, `failed` when Exotel refused, `unknown`
 * when the call may or may not have been placed (a timeout after sending, a reset, a 5xx without
 * proof). Only a 429 and failures before the request left are retried; unknown calls are settled
 * later from status callbacks and Exotel's call APIs by the reconciliation job, matched by the
 * correlation id sent in `CustomField`. A repeated idempotency key gets its first call back
 * (`IdempotentReplay`).
 */
@Injectable()
export class CallsService implements OnApplicationShutdown {
  private readonly logger = new Logger(CallsService.name);
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    @InjectExotelOptions('applets') private readonly applets: ResolvedExotelOptions['applets'],
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    private readonly clock: ExotelClock,
    private readonly health: ExoPhoneHealthService,
    private readonly records: CallRecords,
    private readonly replay: IdempotentReplay,
    private readonly recording: CallRecording,
    private readonly sender: CallSender,
    private readonly settlements: CallSettlements,
    private readonly enqueueing: CallEnqueueing,
    private readonly queue: CallQueue,
  ) {}

  /**
   * Places a call. Throws `CallRequestError` / `PromotionalCallOutsideHoursError` (400, nothing
   * recorded or sent) and `NoHealthyCallerIdError` (503) before anything is recorded; after that it
   * never throws for Exotel's answer: the record says `initiated`, `failed` or `unknown`. With an
   * idempotency key that placed a call before, resolves to that call instead.
   */
  async connect(input: ConnectCallInput, options: ConnectOptions = {}): Promise<CallRecord> {
    return (await this.place(input, options)).call;
  }

  /**
   * `connect()`, also saying whether the call is an earlier request's (same idempotency key).
   * `budgetReserved` (internal, the call queue's): its first Calls/connect has room already.
   */
  async place(
    input: ConnectCallInput,
    options: ConnectOptions = {},
    budgetReserved = false,
  ): Promise<PlacedCall> {
    const requestedAt = this.clock.now();
    const { calls, applets, credentials } = this;
    const prepared = prepareCall(input, { calls, applets, credentials }, requestedAt);
    const key = options.idempotencyKey;
    const wait = options.wait !== false;
    const requestHash = this.replay.requestHash(key, prepared);
    if (key !== undefined) {
      const earlier = await this.replay.find(key, requestHash, wait);
      if (earlier) return earlier;
    }
    const choice = await this.health.pickCallerId(prepared.callerIdRef, 'outgoing');
    const row = this.recording.newRow(prepared, choice, requestedAt, {
      idempotencyKey: key ?? null,
      requestHash,
    });
    // In flight from before the row commits: a repeat of the key that reads the row right after the
    // commit must find it here (and wait), not take it for another instance's call.
    const outcome = deferred<CallRecord>();
    const work = outcome.promise;
    this.replay.holdInFlight(row.id, work);
    try {
      await this.recording.record(row, prepared, choice);
    } catch (error) {
      outcome.reject(error);
      // Another request with the same key won the insert: its call is this request's call.
      const earlier =
        key !== undefined && isUniqueViolation(error) && (await this.replay.find(key, requestHash, wait));
      if (earlier) return earlier;
      throw error;
    }
    void this.send(row, prepared, budgetReserved).then(outcome.resolve, outcome.reject);
    if (!wait) {
      this.track(work);
      return { call: toCallRecord(row), replayed: false };
    }
    return { call: await work, replayed: false };
  }

  /**
   * Queues a call for the dispatchers of every replica to place within the shared budget, through
   * the same never-twice path as `connect()`: transactional before promotional, then by
   * `priority`, then oldest first. A promotional call due outside TRAI hours waits for them; one
   * whose caller id has no healthy ExoPhone waits (up to `calls.queue.callerIdWaitMs`). Throws what
   * `connect()` throws for a bad request, with nothing queued.
   */
  enqueue(input: ConnectCallInput, options: EnqueueOptions = {}): Promise<QueuedCallView> {
    return this.enqueueing.enqueue(input, options);
  }

  /** Queues a batch (up to `calls.queue.maxBatchSize` calls), all or nothing: `CallBatchInvalidError` lists every bad call. */
  enqueueBatch(batch: CallBatchInput): Promise<CallBatchView> {
    return this.enqueueing.enqueueBatch(batch);
  }

  /** A queued call; throws `CallNotFoundError`. */
  async queued(id: string): Promise<QueuedCallView> {
    const found = await this.queue.get(id);
    if (!found) throw new CallNotFoundError(id);
    return found;
  }

  /** A batch's counts by state, progress and ETA; throws `CallBatchNotFoundError`. */
  batch(id: string): Promise<CallBatchView> {
    return this.queue.batch(id);
  }

  /** Cancels a batch's calls still queued (not one being placed that moment); throws `CallBatchNotFoundError`. */
  cancelBatch(id: string): Promise<CallBatchView> {
    return this.queue.cancelBatch(id);
  }

  /** A call by our id; throws `CallNotFoundError`. */
  get(id: string): Promise<CallRecord> {
    return this.records.get(id);
  }

  /** Calls, newest first. */
  list(filter: CallListFilter = {}): Promise<CallRecord[]> {
    return this.records.list(filter);
  }

  /** Resolves when every Calls/connect started with `wait: false` has been recorded. */
  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  async onApplicationShutdown(): Promise<void> {
    // Calls in flight are recorded before the database goes away; a process killed here leaves
    // them `unknown`, which the reconciliation job settles.
    await this.whenIdle();
  }

  /** Sends a recorded call's Calls/connect and records its outcome. */
  private async send(row: CallEntity, prepared: PreparedCall, budgetReserved: boolean): Promise<CallRecord> {
    const recorded = { callerId: row.callerId!, correlationId: row.correlationId };
    const request = connectCallRequest(prepared, recorded, this.calls);
    const sent = await this.sender.send(request, budgetReserved);
    return this.settlements.settle({ callId: row.id, ...sent });
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) =>
        this.logger.error(logLine('Recording a call outcome failed', { err: error }), stackOf(error)),
      )
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }
}
