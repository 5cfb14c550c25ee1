import type { SimCall, SimLeg } from '../calls/call-record';
import type { StatusCallbackSink } from '../calls/status-callback-sink';
import { callTime, wholeSeconds } from '../calls/call-serializer';
import type { BoundedLog } from '../support/bounded-log';
import type { ChangeNotifier } from '../support/change-notifier';
import type { SeededRandom } from '../support/random';
import { formatIst } from '../support/time-format';
import { encodeMultipart, type CallbackPayload } from './form-encoding';
import { newDelivery, type WebhookDelivery, type WebhookSender } from './webhook-delivery';

/** A StatusCallback the simulator sent for a call. */
export interface StatusCallbackDelivery extends WebhookDelivery {
  readonly kind: 'status-callback';
  readonly callSid: string;
  /** `answered` or `terminal`. */
  readonly eventType: 'answered' | 'terminal';
  /** The payload before encoding (`Legs` as an array), for assertions. */
  readonly payload: CallbackPayload;
}

/**
 * Builds and sends Calls/connect StatusCallbacks: multipart by default with `Legs[i][Field]`
 * flattening, JSON with a `Legs` array when `StatusCallbackContentType=application/json`; the four
 * base fields only when the request had no `StatusCallbackEvents`; `CustomField` on terminal only.
 * A call's callbacks go out one after another, so `terminal` never overtakes `answered`.
 */
export class StatusCallbacks implements StatusCallbackSink {
  private nextId = 1;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly sender: WebhookSender,
    private readonly log: BoundedLog<StatusCallbackDelivery>,
    private readonly notifier: ChangeNotifier,
    private readonly random: SeededRandom,
  ) {}

  /** Queues the `eventType` callback of `call` as it stands at `offset` (simulated seconds). */
  send(call: SimCall, eventType: 'answered' | 'terminal', offset: number, legs: readonly SimLeg[]): void {
    const url = call.params.statusCallback;
    if (!url) return;
    const payload = buildPayload(call, eventType, offset, legs);
    const json = call.params.statusCallbackContentType === 'application/json';
    const boundary = `----ExotelSimulator${this.random.chars(16, '0123456789abcdef')}`;
    const delivery: StatusCallbackDelivery = {
      id: this.nextId++,
      kind: 'status-callback',
      callSid: call.sid,
      eventType,
      payload,
      ...newDelivery(
        url,
        json ? 'application/json' : `multipart/form-data; boundary=${boundary}`,
        json ? JSON.stringify(payload) : encodeMultipart(payload, boundary),
      ),
    };
    this.log.push(delivery);
    this.notifier.notify();
    const previous = this.queues.get(call.sid) ?? Promise.resolve();
    const next = previous.then(() => this.sender.send(delivery, {}));
    this.queues.set(call.sid, next);
    void next.then(() => {
      if (this.queues.get(call.sid) === next) this.queues.delete(call.sid);
    });
  }

  reset(): void {
    this.queues.clear();
  }
}

function buildPayload(
  call: SimCall,
  eventType: 'answered' | 'terminal',
  offset: number,
  legs: readonly SimLeg[],
): CallbackPayload {
  const terminal = eventType === 'terminal';
  const dateUpdated = formatIst(callTime(call, offset));
  if (!call.params.statusCallbackEvents) {
    return {
      CallSid: call.sid,
      Status: call.status,
      RecordingUrl: call.recordingUrl,
      DateUpdated: dateUpdated,
    };
  }
  const payload: CallbackPayload = {
    CallSid: call.sid,
    EventType: eventType,
    DateCreated: formatIst(call.createdAt),
    DateUpdated: dateUpdated,
    To: call.to,
    From: call.from,
    PhoneNumberSid: call.phoneNumberSid,
    StartTime: formatIst(call.createdAt),
    EndTime: terminal ? dateUpdated : null,
    Status: call.status,
    ConversationDuration: wholeSeconds(call.conversationDuration),
    Direction: 'outbound-api',
  };
  if (terminal) payload.CustomField = call.params.customField ?? null;
  payload.RecordingUrl = call.recordingUrl;
  payload.Legs = legs.map((leg) => ({
    OnCallDuration: wholeSeconds(leg.onCallDuration),
    Status: leg.status,
    AnsweredBy: leg.answeredBy,
  }));
  return payload;
}
