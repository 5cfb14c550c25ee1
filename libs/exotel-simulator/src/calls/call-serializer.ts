import { formatIst } from '../support/time-format';
import { isEnded, type SimCall } from './call-record';

/** Wall-clock time of a simulated offset of a call. */
export function callTime(call: SimCall, offsetSeconds: number): number {
  return call.createdAt + Math.round(offsetSeconds * 1000);
}

/** Whole seconds, as Exotel reports durations. */
export function wholeSeconds(seconds: number): number {
  return Math.round(seconds);
}

/** `Duration`: whole seconds from the start of the call (leg 1 dialled) to its end. */
export function durationOf(call: SimCall): number {
  return wholeSeconds(call.endOffset ?? 0);
}

/** The `Price` string for a finished call: started minutes of leg 1 on call at `perMinute`, three decimals. */
export function priceOf(call: SimCall, perMinute: number): string {
  const seconds = wholeSeconds(call.legs[0]?.onCallDuration ?? 0);
  return (Math.ceil(seconds / 60) * perMinute).toFixed(3);
}

/**
 * The v1 `Call` object: exactly the 19 documented fields (plus `Details` with `details=true`).
 * `EndTime`, `Duration` and `Price` stay null until the details are published after the call.
 */
export function serializeCall(
  call: SimCall,
  accountSid: string,
  options: { details?: boolean; pricePerMinute: number; recordingValidityMinutes?: number },
): Record<string, unknown> {
  const published = isEnded(call) && call.detailsPublished;
  const body: Record<string, unknown> = {
    Sid: call.sid,
    ParentCallSid: null,
    DateCreated: formatIst(call.createdAt),
    DateUpdated: formatIst(callTime(call, call.updatedOffset)),
    AccountSid: accountSid,
    To: call.to,
    From: call.from,
    PhoneNumberSid: call.phoneNumberSid,
    Status: call.status,
    StartTime: formatIst(call.createdAt),
    EndTime: published ? formatIst(callTime(call, call.endOffset!)) : null,
    Duration: published ? String(durationOf(call)) : null,
    Price: published ? priceOf(call, options.pricePerMinute) : null,
    Direction: 'outbound-api',
    AnsweredBy: null,
    ForwardedFrom: null,
    CallerName: null,
    // As in Exotel's documented example (`Calls.json/<sid>`); the simulator serves that path too.
    Uri: `/v1/Accounts/${accountSid}/Calls.json/${call.sid}`,
    RecordingUrl: call.recordingUrl,
  };
  if (call.recordingUrl && options.recordingValidityMinutes !== undefined) {
    body.PreSignedRecordingUrl = `${call.recordingUrl}?X-Amz-Expires=${options.recordingValidityMinutes * 60}`;
  }
  if (options.details) body.Details = detailsOf(call);
  return body;
}

/** `Details{ConversationDuration,Leg1Status,Leg2Status,Legs[{Leg{Id,OnCallDuration}}]}`. */
function detailsOf(call: SimCall): Record<string, unknown> {
  return {
    ConversationDuration: wholeSeconds(call.conversationDuration),
    Leg1Status: call.legs[0]?.status ?? '',
    Leg2Status: call.legs[1]?.status ?? '',
    Legs: call.legs.map((leg, index) => ({
      Leg: { Id: index + 1, OnCallDuration: wholeSeconds(leg.onCallDuration) },
    })),
  };
}
