import { Injectable } from '@nestjs/common';
import { IsNull, MoreThanOrEqual, type EntityManager } from 'typeorm';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { toE164 } from '../phone/phone-number';
import { CallCallbackEntity } from './call-callback.entity';
import { callCompleted, eventLegs, markReconciled } from './call-transition-events';
import { CallDetails } from './call-details';
import { CallEntity, type CallLeg } from './call.entity';
import { lockCall, writeCall } from './call-locks';
import { TERMINAL_STATUSES } from './call-record';
import { CallRecords } from './call-records.service';
import { parseCustomField } from './correlation';
import type { StatusCallback } from './status-callback-payload';

/** What became of a status callback. */
export interface CallbackReceipt {
  /** Our call the callback belongs to (created for a CallSid we did not place). */
  readonly callId: string;
  /** A repeat of a callback already applied (same CallSid and event). */
  readonly duplicate: boolean;
}

/**
 * Applies Calls/connect status callbacks to the call records, once each: the (CallSid, event)
 * key is unique in the database, so Exotel's retries and duplicates, on any replica, change
 * nothing and publish nothing. `answered` and `terminal` may arrive in either order; a late
 * `answered` never undoes an end. A callback finds its call by CallSid, then by the correlation id
 * in `CustomField`, then (calls still without a CallSid) by From/To; a CallSid we did not place
 * gets a record of its own (inbound calls). A callback for a call whose outcome was unknown
 * reconciles it (`call.reconciled`, via `status_callback`).
 */
@Injectable()
export class CallCallbacks {
  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly records: CallRecords,
    private readonly details: CallDetails,
  ) {}

  /** Records and applies one callback. */
  async apply(callback: StatusCallback): Promise<CallbackReceipt> {
    const result = await this.db.transaction(async (manager) => {
      const now = this.clock.now();
      const call = await this.findCall(manager, callback, now);
      if (!(await this.claim(manager, callback, call.id, now)))
        return { callId: call.id, duplicate: true, fetch: false };
      const published = this.applyTo(call, callback, now);
      call.updatedAt = now;
      await writeCall(manager, call);
      await this.events.publish(manager, published);
      return { callId: call.id, duplicate: false, fetch: callback.eventType === 'terminal' };
    });
    if (result.fetch) this.details.fetchSoon(result.callId);
    return { callId: result.callId, duplicate: result.duplicate };
  }

  private async findCall(manager: EntityManager, callback: StatusCallback, now: Date): Promise<CallEntity> {
    const dialect = this.db.dialect;
    const bySid = await lockCall(manager, dialect, { callSid: callback.callSid });
    if (bySid) return bySid;
    const ours = parseCustomField(callback.customField);
    let call = ours
      ? await lockCall(manager, dialect, { correlationId: ours.correlationId, callSid: IsNull() })
      : null;
    if (!call && callback.direction !== 'inbound') call = await this.byNumbers(manager, callback, now);
    if (call) {
      call.callSid = callback.callSid;
      return call;
    }
    return this.records.upsertByCallSid(manager, {
      callSid: callback.callSid,
      direction: callback.direction ?? 'inbound',
      from: callback.from,
      to: callback.to,
      status: callback.status,
    });
  }

  /** The one API call without a CallSid that this callback's From/To fit, if exactly one does. */
  private async byNumbers(
    manager: EntityManager,
    callback: StatusCallback,
    now: Date,
  ): Promise<CallEntity | null> {
    const from = toE164(callback.from);
    if (!from) return null;
    const since = new Date(now.getTime() - this.calls.reconcile.giveUpAfterMs);
    const candidates = await manager.find(CallEntity, {
      where: { callSid: IsNull(), origin: 'api', fromNumber: from, requestedAt: MoreThanOrEqual(since) },
      take: 3,
    });
    const to = toE164(callback.to);
    const fitting = candidates.filter((c) => c.mode !== 'connect' || c.toNumber === to);
    if (fitting.length !== 1 || fitting[0].outcome === 'failed') return null;
    return lockCall(manager, this.db.dialect, { id: fitting[0].id });
  }

  /** Inserts the (CallSid, event) receipt; false when it exists (a duplicate, counted). */
  private async claim(
    manager: EntityManager,
    callback: StatusCallback,
    callId: string,
    now: Date,
  ): Promise<boolean> {
    const id = this.records.nextId(now);
    const key = { callSid: callback.callSid, eventKey: callback.eventKey };
    // ON CONFLICT DO NOTHING: a concurrent insert of the same key waits for the other transaction,
    // then finds its row; reading the row back tells whose insert it is.
    await manager
      .createQueryBuilder()
      .insert()
      .into(CallCallbackEntity)
      .values({ id, ...key, callId, status: callback.status, deliveries: 1, receivedAt: now })
      .orIgnore()
      .execute();
    const row = await manager.findOneBy(CallCallbackEntity, key);
    if (row?.id === id) return true;
    if (row) await manager.increment(CallCallbackEntity, { id: row.id }, 'deliveries', 1);
    return false;
  }

  private applyTo(call: CallEntity, callback: StatusCallback, now: Date): CataloguedEventInput[] {
    const published: CataloguedEventInput[] = [];
    const callSid = callback.callSid;
    if (call.outcome === 'unknown' && call.settledAt && !call.reconciledAt) {
      call.outcome = 'initiated';
      published.push(markReconciled(call, 'placed', 'status_callback', now, callSid));
    }
    const ended = TERMINAL_STATUSES.has(call.status);
    if (callback.eventType === 'answered') {
      // A late `answered` (after the end) is recorded but changes nothing.
      if (ended) return published;
      call.status = 'answered';
      call.answeredAt ??= now;
      if (callback.legs.length > 0) call.legs = mergeLegs(call.legs, callback.legs);
      published.push({
        type: 'call.answered',
        subject: call.id,
        time: now,
        data: { callId: call.id, callSid, legs: eventLegs(call.legs ?? []) },
      });
      return published;
    }
    call.status = callback.status;
    call.endedAt = callback.endedAt ?? now;
    if (callback.conversationSeconds !== null) call.conversationSeconds = callback.conversationSeconds;
    if (callback.legs.length > 0) call.legs = callback.legs;
    if (callback.recordingUrl) call.recordingUrl = callback.recordingUrl.slice(0, 1000);
    call.detailsPending = true;
    published.push(callCompleted(call, callSid, now));
    return published;
  }
}

function mergeLegs(current: CallLeg[] | null, update: readonly CallLeg[]): CallLeg[] {
  const merged = [...(current ?? [])];
  update.forEach((leg, index) => {
    if (leg.status) merged[index] = leg;
    else merged[index] ??= leg;
  });
  return merged;
}
