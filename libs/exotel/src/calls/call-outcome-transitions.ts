import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CataloguedEventInput, ExotelEventData, ExotelEventType } from '../events/event-catalogue';
import { logLine } from '../logging/log-line';
import type { CallEntity, CallOutcome } from './call.entity';
import type { AttemptVerdict } from './call-outcome';
import { CallRecords } from './call-records.service';
import type { AttemptResult, SendResult } from './call-sender';
import { markReconciled } from './call-transition-events';

/** Calls/connect's outcome for one call, to record. */
export interface Settlement extends SendResult {
  readonly callId: string;
}

/**
 * The outcome state machine of a placed call: what Calls/connect's answer does to the call's
 * record (`initiated`, `failed`, `unknown`, or `call.reconciled` when a status callback or the
 * reconciliation job got there first), and the events it publishes.
 */
@Injectable()
export class CallOutcomeTransitions {
  private readonly logger = new Logger(CallOutcomeTransitions.name);

  constructor(private readonly records: CallRecords) {}

  /**
   * Applies Calls/connect's outcome to a locked call; returns the events to publish. `holder` is
   * the row already holding the answer's CallSid (this call's own, another's, or `null`), and
   * `undefined` for an answer without one.
   */
  async apply(
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
      published.push(
        callEvent('call.initiated', call, now, {
          callId: call.id,
          callSid: result.call.Sid,
          callerId: callerIdOfRow(call),
          latencyMs: call.latencyMs,
        }),
      );
    } else if (result.verdict.kind === 'failed' && call.callSid && (result.verdict.status ?? 0) >= 500) {
      // A status callback named this call while Calls/connect was in flight: whatever the 5xx
      // said, it was placed. (A 4xx, or a request never sent, stays failed.)
      takeVerdict(call, 'initiated', result.verdict);
      published.push(markReconciled(call, 'placed', 'status_callback', now));
    } else if (result.verdict.kind === 'failed') {
      const reason = takeVerdict(call, 'failed', result.verdict);
      if (call.status === 'requested') call.status = 'failed';
      const { exotelStatus, exotelCode } = call;
      published.push(
        callEvent('call.failed', call, now, { callId: call.id, reason, exotelStatus, exotelCode }),
      );
    } else {
      const reason = takeVerdict(call, 'unknown', result.verdict);
      if (call.status === 'requested') call.status = 'unknown';
      published.push(callEvent('call.outcome_unknown', call, now, { callId: call.id, reason }));
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
}

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

/** An event about `call`, as of `now`. */
function callEvent<T extends ExotelEventType>(
  type: T,
  call: CallEntity,
  now: Date,
  data: ExotelEventData<T>,
): CataloguedEventInput {
  return { type, subject: call.id, time: now, data } as CataloguedEventInput;
}

function callerIdOfRow(call: CallEntity) {
  return {
    preferred: call.callerIdRequested ?? call.callerId ?? '',
    chosen: call.callerId ?? '',
    rule: (call.callerIdRule ?? 'preferred') as 'preferred' | 'alternate' | 'pool',
    reason: call.callerIdReason ?? '',
  };
}
