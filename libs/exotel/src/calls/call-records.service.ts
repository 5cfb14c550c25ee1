import { Injectable } from '@nestjs/common';
import { In, MoreThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelDatabase } from '../persistence/exotel-database';
import { toE164 } from '../phone/phone-number';
import { CallNotFoundError } from './call.errors';
import { CallCallbackEntity } from './call-callback.entity';
import { lockCall } from './call-locks';
import { CallEntity, type CallOutcome } from './call.entity';
import type { JsonValue } from '../persistence/json-value';
import { toCallRecord, type CallRecord } from './call-record';
import { newCorrelationId } from './correlation';
import { ulidFactory } from '../persistence/ulid-factory';

/** What identifies a call first seen outside `CallsService` (a callback, a Passthru request). */
export interface CallSighting {
  readonly callSid: string;
  /** As Exotel reports it: `inbound`, `outbound-dial`, `outbound-api`... @default 'inbound' */
  readonly direction?: string;
  readonly from?: string | null;
  readonly to?: string | null;
  /** Status to record when the call is new. @default 'in-progress' */
  readonly status?: string;
}

/** What a new call row is given; everything else starts empty. */
export type NewCallFields = Pick<CallEntity, 'origin' | 'direction' | 'outcome' | 'status'> &
  Partial<Omit<CallEntity, 'id' | 'correlationId'>>;

/** Filters of `CallRecords.list`. */
export interface CallListFilter {
  readonly status?: string;
  readonly outcome?: CallOutcome;
  readonly callSid?: string;
  /** Calls requested at or after this instant. */
  readonly since?: Date;
  /** Newest first, at most this many. @default 50 */
  readonly limit?: number;
}

/**
 * The call records: find a call by id or CallSid, list calls, and create or extend the record of a
 * call first seen outside `CallsService` (an inbound Passthru call, a callback for a CallSid we did
 * not place). Other capabilities (voice AI) attach their data with `attach`, under their own key,
 * so every fact about one CallSid lives on one record.
 */
@Injectable()
export class CallRecords {
  private readonly ulid = ulidFactory();

  constructor(
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
  ) {}

  /** A call by our id; throws `CallNotFoundError`. */
  async get(id: string): Promise<CallRecord> {
    const row = await this.db.read((manager) => manager.findOneBy(CallEntity, { id }));
    if (!row) throw new CallNotFoundError(id);
    return toCallRecord(row);
  }

  /** A call by Exotel's CallSid, or null. */
  async findByCallSid(callSid: string): Promise<CallRecord | null> {
    const row = await this.db.read((manager) => manager.findOneBy(CallEntity, { callSid }));
    return row ? toCallRecord(row) : null;
  }

  /** Calls, newest first. */
  async list(filter: CallListFilter = {}): Promise<CallRecord[]> {
    const where: FindOptionsWhere<CallEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.outcome) where.outcome = filter.outcome;
    if (filter.callSid) where.callSid = filter.callSid;
    if (filter.since) where.requestedAt = MoreThanOrEqual(filter.since);
    const rows = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where,
        order: { requestedAt: 'DESC', id: 'DESC' },
        take: filter.limit ?? 50,
      }),
    );
    return rows.map(toCallRecord);
  }

  /** Ensures a record exists for `sighting.callSid` (in its own transaction); returns it. */
  async ensure(sighting: CallSighting): Promise<CallRecord> {
    return toCallRecord(await this.db.transaction((manager) => this.upsertByCallSid(manager, sighting)));
  }

  /**
   * Inside the caller's transaction: the call with this CallSid, created (origin `callback`) when
   * there is none. Safe against another replica creating it at the same moment.
   */
  async upsertByCallSid(manager: EntityManager, sighting: CallSighting): Promise<CallEntity> {
    const existing = await manager.findOneBy(CallEntity, { callSid: sighting.callSid });
    if (existing) return existing;
    const now = this.clock.now();
    const row = this.newCallbackRow(sighting, now);
    // ON CONFLICT DO NOTHING: a concurrent insert of the same CallSid wins; read back whichever did.
    // (Cast: TypeORM's deep-partial type of the JSON columns is too deep for the compiler.)
    await manager
      .createQueryBuilder()
      .insert()
      .into(CallEntity)
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc gives up (TS2589) on the JSON columns' deep-partial type
      .values(row as never)
      .orIgnore()
      .execute();
    const stored = await manager.findOneBy(CallEntity, { callSid: sighting.callSid });
    if (!stored) throw new Error(`Call record for ${sighting.callSid} could not be created`);
    return stored;
  }

  /**
   * Inside the caller's transaction: merges `data` into the record's `extensions[key]` (a shallow
   * merge), creating the record when the CallSid is new. Returns the record.
   */
  async attach(
    manager: EntityManager,
    sighting: CallSighting,
    key: string,
    data: Record<string, JsonValue>,
  ): Promise<CallEntity> {
    const created = await this.upsertByCallSid(manager, sighting);
    // Locked and written column by column: a status callback changing the same call at the same
    // moment (the stream stops as the call ends) must not lose its status, legs or times.
    const row = (await lockCall(manager, this.db.dialect, { id: created.id })) ?? created;
    const extensions = { ...(row.extensions ?? {}) };
    const current = extensions[key];
    extensions[key] = {
      ...(current && typeof current === 'object' && !Array.isArray(current) ? current : {}),
      ...data,
    };
    row.extensions = extensions;
    row.updatedAt = this.clock.now();
    await manager
      .createQueryBuilder()
      .update(CallEntity)
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc gives up (TS2589) on the JSON columns' deep-partial type
      .set({ extensions, updatedAt: row.updatedAt } as never)
      .where('id = :id', { id: row.id })
      .updateEntity(false)
      .execute();
    return row;
  }

  /**
   * Inside the caller's transaction, when Calls/connect answers with `callSid` for the API call
   * `call`: a record another request created for that CallSid first (a Passthru or stream of the
   * same call, seen before the answer) is folded into `call` and removed, so one CallSid keeps one
   * record. Returns false when the CallSid belongs to another API call (left untouched). Pass
   * `holder` when the row holding the CallSid (or `null`: none) was already read and locked.
   */
  async adoptSighting(
    manager: EntityManager,
    call: CallEntity,
    callSid: string,
    holder?: CallEntity | null,
  ): Promise<boolean> {
    const other = holder === undefined ? await lockCall(manager, this.db.dialect, { callSid }) : holder;
    if (!other || other.id === call.id) return true;
    if (other.origin !== 'callback') return false;
    call.extensions = { ...(other.extensions ?? {}), ...(call.extensions ?? {}) };
    call.answeredAt ??= other.answeredAt;
    call.endedAt ??= other.endedAt;
    call.conversationSeconds ??= other.conversationSeconds;
    call.legs ??= other.legs;
    call.recordingUrl ??= other.recordingUrl;
    if (other.endedAt || other.answeredAt) call.status = other.status;
    await manager.update(CallCallbackEntity, { callId: other.id }, { callId: call.id });
    await manager.delete(CallEntity, { id: other.id });
    return true;
  }

  /** Rows whose CallSid is one of `sids`, for claim checks. */
  async claimedSids(manager: EntityManager, sids: readonly string[]): Promise<Map<string, string>> {
    if (sids.length === 0) return new Map();
    const rows = await manager.find(CallEntity, {
      where: { callSid: In([...sids]) },
      select: { id: true, callSid: true },
    });
    return new Map(rows.map((row) => [row.callSid!, row.id]));
  }

  /** A new record id (ULID). */
  nextId(now: Date = this.clock.now()): string {
    return this.ulid(now.getTime());
  }

  /**
   * A new call row at `now`: a fresh id and correlation id, every lifecycle column empty, then
   * `fields` (what the caller knows: origin, direction, numbers, outcome...).
   */
  newRow(now: Date, fields: NewCallFields): CallEntity {
    return Object.assign(new CallEntity(), {
      id: this.nextId(now),
      correlationId: newCorrelationId(),
      callSid: null,
      idempotencyKey: null,
      requestHash: null,
      mode: null,
      fromNumber: null,
      toNumber: null,
      target: null,
      callerIdRequested: null,
      callerId: null,
      callerIdRule: null,
      callerIdReason: null,
      purpose: 'transactional',
      customField: null,
      parameters: null,
      outcomeReason: null,
      exotelStatus: null,
      exotelCode: null,
      attempts: 0,
      latencyMs: null,
      requestedAt: now,
      settledAt: null,
      reconciledAt: null,
      reconciliationFinding: null,
      reconciledVia: null,
      answeredAt: null,
      endedAt: null,
      conversationSeconds: null,
      legs: null,
      recordingUrl: null,
      detailsPending: false,
      durationSeconds: null,
      price: null,
      extensions: null,
      updatedAt: now,
      ...fields,
    } satisfies CallEntity);
  }

  private newCallbackRow(sighting: CallSighting, now: Date): CallEntity {
    return this.newRow(now, {
      callSid: sighting.callSid,
      origin: 'callback',
      direction: sighting.direction ?? 'inbound',
      fromNumber: number(sighting.from),
      toNumber: number(sighting.to),
      outcome: 'initiated',
      status: sighting.status ?? 'in-progress',
      settledAt: now,
    });
  }
}

function number(value: string | null | undefined): string | null {
  if (!value) return null;
  return toE164(value) ?? value.slice(0, 32);
}
