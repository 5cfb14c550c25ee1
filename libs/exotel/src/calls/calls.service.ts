import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Counter } from 'prom-client';
import { In, type EntityManager } from 'typeorm';
import stringify from 'safe-stable-stringify';
import { deferred } from '../async/deferred';
import { GroupCommit } from '../async/group-commit';
import { ExotelClient } from '../client/exotel-client';
import type { ConnectCallRequest, ExotelCall } from '../client/exotel-api.types';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import type { CallerIdChoice } from '../exophones/caller-id-selection';
import { ExoPhoneHealthService } from '../exophones/exophone-health.service';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine, stackOf } from '../logging/log-line';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { bulkInsert } from '../persistence/bulk-insert';
import { isUniqueViolation } from '../persistence/unique-violation';
import { CallEntity, type CallOutcome, type JsonValue } from './call.entity';
import { CallInProgressError, CallRequestError, IdempotencyKeyReusedError } from './call.errors';
import { CallLatencyWatch } from './call-latency-watch';
import { lockCalls, writeCalls } from './call-locks';
import { classifyAttempt, type AttemptVerdict } from './call-outcome';
import { toCallRecord, type CallRecord } from './call-record';
import { CallRecords, type CallListFilter } from './call-records';
import { prepareCall, type ConnectCallInput, type PreparedCall } from './call-request';
import { markReconciled } from './call-transition-events';
import { composeCustomField } from './correlation';

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

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

type AttemptResult =
  | { readonly kind: 'initiated'; readonly call: ExotelCall; readonly latencyMs: number }
  | { readonly kind: 'settled'; readonly verdict: Extract<AttemptVerdict, { kind: 'failed' | 'unknown' }> };

/** A new call and its `call.requested`, to record before anything is sent. */
interface Recording {
  readonly row: CallEntity;
  readonly requested: CataloguedEventInput;
}

/** Calls/connect's outcome for one call, to record. */
interface Settlement {
  readonly callId: string;
  readonly result: AttemptResult;
  readonly attempts: number;
}

/**
 * Places calls through Exotel's Calls/connect without ever dialling twice.
 *
 * Each call is checked (numbers in E.164, one target, TRAI hours for promotional calls, Exotel's
 * limits), its caller id goes through failover (`ExoPhoneHealthService.pickCallerId`), and it is
 * recorded with `call.requested` in one transaction before anything is sent. Calls/connect is then
 * sent (outside any transaction) and its outcome recorded in another: `initiated` with a CallSid,
 * `failed` when Exotel refused, `unknown` when the call may or may not have been placed (a timeout
 * after sending, a reset, a 5xx without proof). Only a 429 and failures before the request left are
 * retried; unknown calls are settled later from status callbacks and Exotel's call APIs by the
 * reconciliation job, matched by the correlation id sent in `CustomField`.
 */
@Injectable()
export class CallsService implements OnApplicationShutdown {
  private readonly logger = new Logger(CallsService.name);
  private readonly background = new Set<Promise<unknown>>();
  // Calls/connect requests of this process still waiting for Exotel, by call id.
  private readonly inFlight = new Map<string, Promise<CallRecord>>();
  private readonly outcomes: Counter<'outcome'>;
  private readonly attemptsCounter: Counter<'result'>;
  // Calls recorded, and outcomes settled, by concurrent requests share transactions (group commit).
  private readonly recordings: GroupCommit<Recording, void>;
  private readonly settlements: GroupCommit<Settlement, CallRecord>;

  constructor(
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly client: ExotelClient,
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly health: ExoPhoneHealthService,
    private readonly records: CallRecords,
    private readonly latency: CallLatencyWatch,
    metrics: ExotelMetrics,
  ) {
    this.outcomes = metrics.counter({
      name: 'exotel_calls_total',
      help: 'Calls/connect outcomes recorded by CallsService',
      labelNames: ['outcome'],
    });
    this.attemptsCounter = metrics.counter({
      name: 'exotel_calls_connect_attempts_total',
      help: 'Calls/connect attempts by result (retried: 429 or not sent)',
      labelNames: ['result'],
    });
    this.recordings = new GroupCommit({
      writeTogether: (items) => this.recordAll(items),
      writeAlone: async (item) => void (await this.recordAll([item])),
      // An idempotency key (or, in theory, an id) taken: by another request of the batch, maybe.
      splitOn: isUniqueViolation,
    });
    this.settlements = new GroupCommit({
      writeTogether: (items) => this.settleAll(items),
      writeAlone: (item) => this.settleAlone(item),
      splitOn: (error) => isUniqueViolation(error) || error instanceof SettlementConflict,
    });
  }

  /**
   * Places a call. Throws `CallRequestError` / `PromotionalCallOutsideHoursError` (400, nothing
   * recorded or sent) and `NoHealthyCallerIdError` (503) before anything is recorded; after that it
   * never throws for Exotel's answer: the record says `initiated`, `failed` or `unknown`. With an
   * idempotency key that placed a call before, resolves to that call instead.
   */
  async connect(input: ConnectCallInput, options: ConnectOptions = {}): Promise<CallRecord> {
    return (await this.place(input, options)).call;
  }

  /** `connect()`, also saying whether the call is an earlier request's (same idempotency key). */
  async place(input: ConnectCallInput, options: ConnectOptions = {}): Promise<PlacedCall> {
    const requestedAt = this.clock.now();
    const prepared = prepareCall(input, this.options, requestedAt);
    const key = options.idempotencyKey;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
      throw new CallRequestError(
        'INVALID_IDEMPOTENCY_KEY',
        'idempotencyKey',
        'An idempotency key is 1 to 128 visible ASCII characters (a UUID, for instance)',
      );
    const requestHash = key === undefined ? null : hashRequest(prepared);
    if (key !== undefined) {
      const earlier = await this.replay(key, requestHash, options);
      if (earlier) return earlier;
    }
    const choice = await this.health.pickCallerId(prepared.callerIdRef, 'outgoing');
    const row = this.newRow(prepared, choice, requestedAt);
    row.idempotencyKey = key ?? null;
    row.requestHash = requestHash;
    // In flight from before the row commits: a repeat of the key that reads the row right after the
    // commit must find it here (and wait), not take it for another instance's call.
    const outcome = deferred<CallRecord>();
    const work = outcome.promise;
    this.inFlight.set(row.id, work);
    void work.finally(() => this.inFlight.delete(row.id)).catch(() => undefined);
    try {
      await this.record(row, prepared, choice);
    } catch (error) {
      outcome.reject(error);
      // Another request with the same key won the insert: its call is this request's call.
      const earlier =
        key !== undefined && isUniqueViolation(error) && (await this.replay(key, requestHash, options));
      if (earlier) return earlier;
      throw error;
    }
    void this.send(row.id, this.requestOf(prepared, choice, row.correlationId)).then(
      outcome.resolve,
      outcome.reject,
    );
    if (options.wait === false) {
      this.track(work);
      return { call: toCallRecord(row), replayed: false };
    }
    return { call: await work, replayed: false };
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

  /** The call an earlier request with `key` placed (awaiting its outcome when this process sends it). */
  private async replay(
    key: string,
    requestHash: string | null,
    options: ConnectOptions,
  ): Promise<PlacedCall | null> {
    const row = await this.db.read((manager) => manager.findOneBy(CallEntity, { idempotencyKey: key }));
    if (!row) return null;
    if (row.requestHash !== requestHash) throw new IdempotencyKeyReusedError(row.id);
    if (options.wait === false || row.settledAt) return { call: toCallRecord(row), replayed: true };
    const pending = this.inFlight.get(row.id);
    // Still being sent by another process (or one that stopped: the reconciler settles it later).
    if (!pending) throw new CallInProgressError(row.id);
    return { call: await pending.catch(() => this.records.get(row.id)), replayed: true };
  }

  /** Records the call with `call.requested`, before anything is sent. */
  private record(row: CallEntity, prepared: PreparedCall, choice: CallerIdChoice): Promise<void> {
    return this.recordings.write({
      row,
      requested: {
        type: 'call.requested',
        subject: row.id,
        time: row.requestedAt,
        data: {
          callId: row.id,
          correlationId: row.correlationId,
          mode: prepared.mode,
          from: prepared.from,
          to: prepared.to ?? null,
          callerId: row.callerId!,
          purpose: prepared.purpose,
          failover: callerIdOf(choice),
        },
      },
    });
  }

  /** New calls and their `call.requested`, in one transaction. */
  private async recordAll(items: readonly Recording[]): Promise<void[]> {
    await this.db.transaction(async (manager) => {
      await bulkInsert(
        manager,
        CallEntity,
        items.map((item) => item.row),
      );
      await this.events.publish(
        manager,
        items.map((item) => item.requested),
      );
    });
    return items.map(() => undefined);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) =>
        this.logger.error(logLine('Recording a call outcome failed', { err: error }), stackOf(error)),
      )
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private async send(callId: string, request: ConnectCallRequest): Promise<CallRecord> {
    const limits = this.options.calls;
    let attempts = 0;
    let rateLimited = 0;
    let notSent = 0;
    let waited = 0;
    let result: AttemptResult;
    for (;;) {
      attempts++;
      try {
        const answer = await this.client.connectCall(request);
        this.attemptsCounter.inc({ result: 'answered' });
        this.latency.record(answer.latencyMs);
        result = { kind: 'initiated', call: answer.value, latencyMs: answer.latencyMs };
        break;
      } catch (error) {
        const verdict = classifyAttempt(error);
        this.attemptsCounter.inc({ result: verdict.kind });
        if (verdict.kind === 'rate_limited') {
          rateLimited++;
          const delay =
            verdict.retryAfterMs ?? limits.rateLimitRetries.fallbackDelayMs * 2 ** (rateLimited - 1);
          if (
            rateLimited < limits.rateLimitRetries.maxAttempts &&
            waited + delay <= limits.rateLimitRetries.maxWaitMs
          ) {
            waited += delay;
            await sleep(delay);
            continue;
          }
          result = {
            kind: 'settled',
            verdict: {
              kind: 'failed',
              reason: `Exotel answered 429 ${rateLimited} time(s); nothing placed`,
              status: 429,
              code: null,
            },
          };
          break;
        }
        if (verdict.kind === 'not_sent') {
          notSent++;
          if (notSent < limits.notSentRetries.maxAttempts) {
            await sleep(limits.notSentRetries.delayMs * 2 ** (notSent - 1));
            continue;
          }
          result = {
            kind: 'settled',
            verdict: { kind: 'failed', reason: `${verdict.reason}; nothing sent`, status: null, code: null },
          };
          break;
        }
        result = { kind: 'settled', verdict };
        break;
      }
    }
    return this.settlements.write({ callId, result, attempts });
  }

  /** One call's outcome in a transaction of its own (a batch of one). */
  private async settleAlone(item: Settlement): Promise<CallRecord> {
    try {
      return (await this.settleAll([item]))[0];
    } catch (error) {
      // A record for the CallSid committed while we waited for the call's lock (our read did not
      // see it, the write hit the unique key): read again, now seeing it, and fold it in.
      if (!isUniqueViolation(error)) throw error;
      return (await this.settleAll([item]))[0];
    }
  }

  /**
   * Outcomes of several calls in one transaction: the calls, and the rows already holding their
   * CallSids, locked in one read; every call written back in one statement; every event published
   * together.
   */
  private async settleAll(items: readonly Settlement[]): Promise<CallRecord[]> {
    const sids = items.flatMap(({ result }) => (result.kind === 'initiated' ? [result.call.Sid] : []));
    // Each call's holder is read once, before any is adopted: they must be different rows.
    if (new Set(sids).size !== sids.length)
      throw new SettlementConflict('Two calls of one batch were answered the same CallSid');
    const ids = items.map((item) => item.callId);
    const rows = await this.db.transaction(async (manager) => {
      const locked = await lockCalls(
        manager,
        this.db.dialect,
        sids.length > 0 ? [{ id: In(ids) }, { callSid: In(sids) }] : [{ id: In(ids) }],
      );
      const byId = new Map(locked.map((row) => [row.id, row]));
      const bySid = new Map(locked.filter((row) => row.callSid).map((row) => [row.callSid!, row]));
      const now = this.clock.now();
      const calls: CallEntity[] = [];
      const published: CataloguedEventInput[] = [];
      for (const item of items) {
        const call = byId.get(item.callId);
        if (!call)
          throw new SettlementConflict(`Call ${item.callId} vanished before its outcome was recorded`);
        const sid = item.result.kind === 'initiated' ? item.result.call.Sid : undefined;
        // The row already holding the CallSid (this call's own, another's, or none).
        const holder = sid ? (bySid.get(sid) ?? null) : undefined;
        published.push(...(await this.applyOutcome(manager, call, item, holder, now)));
        calls.push(call);
      }
      await writeCalls(manager, calls);
      await this.events.publish(manager, published);
      return calls;
    });
    for (const row of rows) this.outcomes.inc({ outcome: row.outcome });
    return rows.map(toCallRecord);
  }

  /** Applies Calls/connect's outcome to a locked call; returns the events to publish. */
  private async applyOutcome(
    manager: EntityManager,
    call: CallEntity,
    { callId, result, attempts }: Settlement,
    holder: CallEntity | null | undefined,
    now: Date,
  ): Promise<CataloguedEventInput[]> {
    call.attempts = attempts;
    call.updatedAt = now;
    if (call.settledAt) {
      // The reconciliation job took this call for abandoned (this process looked gone); Exotel's
      // late answer is still the best evidence there is.
      this.logger.warn(logLine('Calls/connect answered after the call was taken for abandoned', { callId }));
      const reconciled = await this.settleLate(manager, call, result, now, holder);
      return reconciled ? [reconciled] : [];
    }
    call.settledAt = now;
    const published: CataloguedEventInput[] = [];
    if (result.kind === 'initiated') {
      if (await this.records.adoptSighting(manager, call, result.call.Sid, holder))
        call.callSid = result.call.Sid;
      else
        this.logger.error(logLine('Exotel answered with a CallSid another call already holds', { callId }));
      call.outcome = 'initiated';
      call.exotelStatus = 200;
      call.latencyMs = Math.round(result.latencyMs);
      if (call.status === 'requested') call.status = 'initiated';
      published.push({
        type: 'call.initiated',
        subject: call.id,
        time: now,
        data: {
          callId: call.id,
          callSid: result.call.Sid,
          callerId: callerIdOfRow(call),
          latencyMs: call.latencyMs,
        },
      });
    } else if (result.verdict.kind === 'failed' && call.callSid && (result.verdict.status ?? 0) >= 500) {
      // A status callback named this call while Calls/connect was in flight: whatever the 5xx
      // said, it was placed. (A 4xx, or a request never sent, stays failed.)
      takeVerdict(call, 'initiated', result.verdict);
      published.push(markReconciled(call, 'placed', 'status_callback', now));
    } else if (result.verdict.kind === 'failed') {
      const reason = takeVerdict(call, 'failed', result.verdict);
      if (call.status === 'requested') call.status = 'failed';
      published.push({
        type: 'call.failed',
        subject: call.id,
        time: now,
        data: {
          callId: call.id,
          reason,
          exotelStatus: call.exotelStatus,
          exotelCode: call.exotelCode,
        },
      });
    } else {
      const reason = takeVerdict(call, 'unknown', result.verdict);
      if (call.status === 'requested') call.status = 'unknown';
      published.push({
        type: 'call.outcome_unknown',
        subject: call.id,
        time: now,
        data: { callId: call.id, reason },
      });
      if (call.callSid) {
        // A status callback arrived while Calls/connect was in flight: the call was placed.
        call.outcome = 'initiated';
        published.push(markReconciled(call, 'placed', 'status_callback', now));
      }
    }
    return published;
  }

  /**
   * Applies Calls/connect's answer to a call taken for abandoned: a CallSid proves it placed, a
   * refusal that it was not, whatever the reconciliation found so far. Returns `call.reconciled`
   * when the answer changed the finding; nothing for an answer that proves nothing.
   */
  private async settleLate(
    manager: EntityManager,
    call: CallEntity,
    result: AttemptResult,
    now: Date,
    holder: CallEntity | null | undefined,
  ): Promise<CataloguedEventInput | null> {
    if (result.kind === 'initiated') {
      if (call.callSid && call.callSid !== result.call.Sid) return null;
      if (!call.callSid && !(await this.records.adoptSighting(manager, call, result.call.Sid, holder)))
        return null;
      call.callSid = result.call.Sid;
      call.exotelStatus = 200;
      call.latencyMs = Math.round(result.latencyMs);
      if (call.outcome === 'initiated' && call.reconciliationFinding === 'placed') return null;
      call.outcome = 'initiated';
      if (call.status === 'unknown') call.status = 'initiated';
      return markReconciled(call, 'placed', 'connect_answer', now);
    }
    if (result.verdict.kind !== 'failed' || call.callSid || call.outcome !== 'unknown') return null;
    takeVerdict(call, 'failed', result.verdict);
    if (call.status === 'unknown') call.status = 'failed';
    return markReconciled(call, 'not_placed', 'connect_answer', now);
  }

  private newRow(prepared: PreparedCall, choice: CallerIdChoice, now: Date): CallEntity {
    return this.records.newRow(now, {
      origin: 'api',
      direction: 'outbound-api',
      mode: prepared.mode,
      fromNumber: prepared.from,
      toNumber: prepared.to ?? null,
      target: prepared.target,
      callerIdRequested: prepared.callerIdRef,
      callerId: choice.chosenPhoneNumber ?? choice.chosen,
      callerIdRule: choice.rule,
      callerIdReason: choice.reason.slice(0, 300),
      purpose: prepared.purpose,
      customField: prepared.customField,
      parameters: withoutUndefined({ ...prepared.parameters, streamName: prepared.streamName }),
      // Unknown until Exotel answers: a crash mid-request leaves exactly this, for reconciliation.
      outcome: 'unknown',
      status: 'requested',
    });
  }

  private requestOf(
    prepared: PreparedCall,
    choice: CallerIdChoice,
    correlationId: string,
  ): ConnectCallRequest {
    const calls = this.options.calls;
    const p = prepared.parameters;
    return {
      from: prepared.from,
      callerId: choice.chosenPhoneNumber ?? choice.chosen,
      to: prepared.to,
      url: prepared.url,
      streamUrl: prepared.streamUrl,
      streamType: prepared.streamUrl ? 'bidirectional' : undefined,
      streamName: prepared.streamName,
      callType: 'trans',
      timeLimit: p.timeLimit,
      timeOut: p.timeOut,
      waitUrl: p.waitUrl,
      record: p.record,
      recordingChannels: p.recordingChannels,
      recordingFormat: p.recordingFormat,
      customField: composeCustomField(correlationId, prepared.customField),
      statusCallback: calls.statusCallbackUrl,
      statusCallbackEvents: calls.statusCallbackUrl ? [...calls.statusCallbackEvents] : undefined,
      statusCallbackContentType: calls.statusCallbackUrl ? calls.statusCallbackContentType : undefined,
    };
  }
}

/** A batch of outcomes that cannot be settled together; each is then settled alone. */
class SettlementConflict extends Error {}

/**
 * Records Calls/connect's refusal or doubt on the call: the outcome, why, and Exotel's status and
 * code. Returns the reason as stored.
 */
function takeVerdict(
  call: CallEntity,
  outcome: CallOutcome,
  verdict: Extract<AttemptVerdict, { kind: 'failed' | 'unknown' }>,
): string {
  const reason = verdict.reason.slice(0, 500);
  call.outcome = outcome;
  call.outcomeReason = reason;
  call.exotelStatus = verdict.status;
  if (verdict.kind === 'failed') call.exotelCode = verdict.code;
  return reason;
}

function callerIdOf(choice: CallerIdChoice) {
  return {
    preferred: choice.preferred,
    chosen: choice.chosenPhoneNumber ?? choice.chosen,
    rule: choice.rule,
    reason: choice.reason,
  };
}

function callerIdOfRow(call: CallEntity) {
  return {
    preferred: call.callerIdRequested ?? call.callerId ?? '',
    chosen: call.callerId ?? '',
    rule: (call.callerIdRule ?? 'preferred') as 'preferred' | 'alternate' | 'pool',
    reason: call.callerIdReason ?? '',
  };
}

/** SHA-256 of a checked request in canonical JSON: the same call asked for twice hashes the same. */
function hashRequest(prepared: PreparedCall): string {
  return createHash('sha256').update(stringify(prepared)).digest('hex');
}

function withoutUndefined(value: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Record<
    string,
    JsonValue
  >;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
