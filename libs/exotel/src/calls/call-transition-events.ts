import type { CataloguedEventInput, ExotelEventData } from '../events/event-catalogue';
import type { CallEntity, CallLeg } from './call.entity';

type Finding = ExotelEventData<'call.reconciled'>['finding'];
type Via = ExotelEventData<'call.reconciled'>['via'];

/**
 * Records on `call` that its outcome was established (`finding`, learnt `via`), and returns the
 * `call.reconciled` event to publish with the change.
 */
export function markReconciled(
  call: CallEntity,
  finding: Finding,
  via: Via,
  now: Date,
  callSid: string | null = call.callSid,
): CataloguedEventInput {
  call.reconciledAt = now;
  call.reconciliationFinding = finding;
  call.reconciledVia = via;
  return {
    type: 'call.reconciled',
    subject: call.id,
    time: now,
    data: { callId: call.id, finding, callSid, via },
  };
}

/** The `call.completed` event of a call whose end has just been recorded on `call`. */
export function callCompleted(call: CallEntity, callSid: string, now: Date): CataloguedEventInput {
  return {
    type: 'call.completed',
    subject: call.id,
    time: now,
    data: {
      callId: call.id,
      callSid,
      status: call.status,
      conversationDurationSeconds: call.conversationSeconds,
      recordingUrl: call.recordingUrl,
      legs: eventLegs(call.legs ?? []),
      endedAt: (call.endedAt ?? now).toISOString(),
    },
  };
}

/** Legs as events carry them. */
export function eventLegs(legs: readonly CallLeg[]): CallLeg[] {
  return legs.map((leg) => ({
    status: leg?.status ?? null,
    onCallDurationSeconds: leg?.onCallDurationSeconds ?? null,
    answeredBy: leg?.answeredBy ?? null,
  }));
}
