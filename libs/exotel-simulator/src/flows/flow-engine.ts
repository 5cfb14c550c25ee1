import type { NumberScripts } from '../calls/number-scripts';
import { encodeMultipart, type CallbackPayload } from '../callbacks/form-encoding';
import type { StatusCallbackDelivery } from '../callbacks/status-callbacks';
import { newDelivery, type WebhookSender } from '../callbacks/webhook-delivery';
import type { BoundedLog } from '../support/bounded-log';
import type { ChangeNotifier } from '../support/change-notifier';
import { toE164, toNationalForm } from '../support/phone-numbers';
import { opaqueSid, type SeededRandom } from '../support/random';
import type { SimClock } from '../support/sim-clock';
import { formatIst } from '../support/time-format';
import { SimStreamClient } from '../voice/stream-client';
import type { SimStreamSession } from '../voice/stream-session';
import type { PcmClip } from '../voice/wav';
import type { ConnectApplet, FlowDefinition, PassthruApplet, StreamApplet } from './flow-definition';
import type { SimAppletRequest, SimFlowCall } from './flow-call';
import { appletGet } from './http-get';

/** What the flow engine needs from the simulator. */
export interface FlowEngineParts {
  readonly accountSid: string;
  readonly clock: SimClock;
  readonly random: SeededRandom;
  readonly notifier: ChangeNotifier;
  readonly scripts: NumberScripts;
  readonly sender: WebhookSender;
  readonly callbackLog: BoundedLog<StatusCallbackDelivery>;
  readonly defaultTalkSeconds: number;
  readonly defaultAudio: () => PcmClip;
  /** Deadline of one applet request (real ms). */
  readonly requestTimeoutMs: number;
}

/** Starting an inbound call. */
export interface InboundCallOptions {
  /** The caller, any spelling. */
  readonly from: string;
  /** The ExoPhone dialled, any spelling. */
  readonly to: string;
  /** The flow (app) the ExoPhone is connected to. */
  readonly appId: string;
  readonly customField?: string;
}

interface LiveCall {
  readonly abort: AbortController;
  stream?: SimStreamClient;
  /** Simulated seconds the call has lasted so far. */
  seconds: number;
  callbackSent: boolean;
}

class CallerHungUp extends Error {}

const NO_END_TIME = '1970-01-01 05:30:00';

/**
 * Runs calls through flows (Exotel "apps"): Greeting, Gather, Passthru (sync 200/302 branches or
 * async, with the `Stream[...]` report after a stream), Voicebot/Stream (the WebSocket client),
 * Connect (static numbers or the dynamic URL with `Exotel-Version: 1.0`, dialling the number's
 * script) and Hangup; then the terminal status callback with the caller's leg and the bridged leg.
 * Waits run on the simulated clock; streams run in real time.
 */
export class FlowEngine {
  private readonly flows = new Map<string, FlowDefinition>();
  private readonly calls = new Map<string, SimFlowCall>();
  private ordered: SimFlowCall[] = [];
  private readonly live = new Map<string, LiveCall>();
  /** The URL each stream was opened with (Exotel reports it, secrets and all, to the next Passthru). */
  private readonly streamUrls = new WeakMap<SimStreamSession, string>();

  constructor(private readonly parts: FlowEngineParts) {}

  /** Defines (or replaces) the flow of an app id. */
  define(appId: string, flow: FlowDefinition): void {
    this.flows.set(appId, flow);
  }

  /** A call arrives at an ExoPhone connected to `appId`; resolves to the call, which runs on. */
  startInbound(options: InboundCallOptions): SimFlowCall {
    const flow = this.flows.get(options.appId);
    if (!flow) throw new Error(`No flow is defined for app ${options.appId}; call defineFlow() first`);
    const call: SimFlowCall = {
      sid: opaqueSid(this.parts.random),
      appId: options.appId,
      direction: 'inbound',
      from: toNationalForm(options.from),
      to: toNationalForm(options.to),
      createdAt: Date.now(),
      status: 'in-progress',
      applets: [],
      requests: [],
      streams: [],
    };
    this.calls.set(call.sid, call);
    this.ordered.push(call);
    const live: LiveCall = { abort: new AbortController(), seconds: 0, callbackSent: false };
    this.live.set(call.sid, live);
    void this.run(call, flow, live, options.customField);
    this.parts.notifier.notify();
    return call;
  }

  get(sid: string): SimFlowCall | undefined {
    return this.calls.get(sid);
  }

  list(): readonly SimFlowCall[] {
    return this.ordered;
  }

  /** The caller hangs up now; false when the call is unknown or over. */
  hangUp(sid: string): boolean {
    const live = this.live.get(sid);
    if (!live) return false;
    live.stream?.stop('callended');
    live.abort.abort();
    return true;
  }

  /** The caller presses a key on the stream open now; false when there is none. */
  pressKey(sid: string, digit: string): boolean {
    const stream = this.live.get(sid)?.stream;
    if (!stream || !stream.session.bidirectional) return false;
    stream.pressKey(digit);
    return true;
  }

  /** Every stream of every flow call, oldest first. */
  streams(): SimStreamSession[] {
    return this.ordered.flatMap((call) => call.streams);
  }

  reset(): void {
    this.close();
    this.flows.clear();
    this.calls.clear();
    this.ordered = [];
  }

  /** Ends every running call without callbacks. */
  close(): void {
    for (const live of this.live.values()) {
      live.callbackSent = true;
      live.stream?.abort();
      live.abort.abort();
    }
    this.live.clear();
  }

  private async run(
    call: SimFlowCall,
    flow: FlowDefinition,
    live: LiveCall,
    customField?: string,
  ): Promise<void> {
    let index = 0;
    let lastStream: { session: SimStreamSession; record: boolean } | undefined;
    const jump = (id: string | undefined, fallback: number): number => {
      if (id === undefined) return fallback;
      const target = flow.applets.findIndex((a) => a.id === id);
      return target >= 0 ? target : fallback;
    };
    try {
      while (index < flow.applets.length) {
        if (live.abort.signal.aborted) throw new CallerHungUp();
        const applet = flow.applets[index];
        const run = { index, type: applet.type, startedAt: Date.now() } as SimFlowCall['applets'][number];
        call.applets.push(run);
        this.parts.notifier.notify();
        let next = index + 1;
        switch (applet.type) {
          case 'greeting':
            await this.wait(live, applet.seconds ?? 2);
            run.outcome = 'played';
            break;
          case 'gather':
            await this.wait(live, applet.seconds ?? 3);
            call.digits = applet.digits;
            run.outcome = applet.digits;
            break;
          case 'passthru': {
            const branch = await this.passthru(call, applet, index, live, lastStream, customField);
            run.outcome = branch;
            if (!applet.async) next = jump(branch === 'found' ? applet.found : applet.ok, next);
            break;
          }
          case 'voicebot':
          case 'stream': {
            const session = await this.stream(call, applet, index, live);
            lastStream = { session, record: applet.record ?? false };
            run.outcome = session.endedBy;
            if (session.endedBy === 'caller') throw new CallerHungUp();
            break;
          }
          case 'connect': {
            const outcome = await this.connect(call, applet, index, live, customField);
            run.outcome = outcome;
            if (outcome !== 'connected') next = jump(applet.notConnected, next);
            break;
          }
          case 'hangup':
            run.outcome = 'hung-up';
            index = flow.applets.length;
            continue;
        }
        run.endedAt = Date.now();
        index = next;
      }
      this.end(call, flow, live, 'completed');
    } catch (error) {
      const last = call.applets[call.applets.length - 1];
      if (last && last.endedAt === undefined) last.endedAt = Date.now();
      this.end(
        call,
        flow,
        live,
        error instanceof CallerHungUp || live.abort.signal.aborted
          ? 'caller-hangup'
          : `error: ${String(error)}`,
      );
    }
  }

  private async passthru(
    call: SimFlowCall,
    applet: PassthruApplet,
    index: number,
    live: LiveCall,
    lastStream: { session: SimStreamSession; record: boolean } | undefined,
    customField?: string,
  ): Promise<'ok' | 'found' | 'error'> {
    const query: Record<string, string> = {
      ...this.callFields(call, live),
      Created: formatIst(call.createdAt),
      CurrentTime: formatIst(call.createdAt + live.seconds * 1000),
      EndTime: NO_END_TIME,
      DialCallDuration: String(call.bridge?.onCallSeconds ?? 0),
      CallType: call.bridge?.status === 'completed' ? 'completed' : 'call-attempt',
      DialWhomNumber: call.bridge?.number ?? '',
      flow_id: call.appId,
    };
    if (call.digits !== undefined) query.digits = `"${call.digits}"`;
    if (customField !== undefined) query.CustomField = customField;
    if (lastStream) {
      const { session, record } = lastStream;
      const recordingUrl = record
        ? `https://recordings.exotel.com/exotelrecordings/${this.parts.accountSid}/${session.streamSid}.mp3`
        : '';
      if (record) query.RecordingUrl = recordingUrl;
      const report: Record<string, string> = {
        StreamSID: session.streamSid,
        Status: session.error ? 'failed' : 'completed',
        Duration: String(
          Math.round(((session.endedAt ?? 0) - (session.openedAt ?? session.endedAt ?? 0)) / 1000),
        ),
        RecordingUrl: recordingUrl,
        StreamUrl: this.flowsStreamUrl(call, lastStream.session),
        DisconnectedBy: session.endedBy === 'bot' ? 'bot' : session.endedBy === 'caller' ? 'user' : 'NA',
      };
      if (session.error) {
        report.Error = session.error;
        report.DetailedStatus = 'connection_failed';
      }
      if (applet.streamParams === 'json') query.Stream = JSON.stringify(report);
      else for (const [key, value] of Object.entries(report)) query[`Stream[${key}]`] = value;
    }
    const request = await this.request('passthru', call, index, applet.url, query, {}, live);
    if (request.status === 200) return 'ok';
    if (request.status === 302) return 'found';
    return 'error';
  }

  private async stream(
    call: SimFlowCall,
    applet: StreamApplet,
    index: number,
    live: LiveCall,
  ): Promise<SimStreamSession> {
    let url = applet.url;
    if (/^https?:/i.test(url)) {
      const request = await this.request(
        'stream-url',
        call,
        index,
        url,
        this.callFields(call, live),
        {},
        live,
      );
      const resolved = (request.body as { url?: unknown } | undefined)?.url;
      url = typeof resolved === 'string' ? resolved : '';
    }
    const client = new SimStreamClient(
      {
        url: url || 'ws://invalid.invalid/',
        callSid: call.sid,
        accountSid: this.parts.accountSid,
        from: toE164(call.from),
        to: toE164(call.to),
        bidirectional: applet.type === 'voicebot',
      },
      applet.script ?? {},
      this.parts.defaultAudio,
      this.parts.random,
      this.parts.notifier,
    );
    call.streams.push(client.session);
    live.stream = client;
    const started = Date.now();
    const session = await client.run();
    live.stream = undefined;
    live.seconds += (Date.now() - started) / 1000;
    this.streamUrls.set(session, url);
    return session;
  }

  private flowsStreamUrl(_call: SimFlowCall, session: SimStreamSession): string {
    return this.streamUrls.get(session) ?? session.url;
  }

  private async connect(
    call: SimFlowCall,
    applet: ConnectApplet,
    index: number,
    live: LiveCall,
    customField?: string,
  ): Promise<string> {
    let numbers = applet.numbers ? [...applet.numbers] : [];
    let limits: { ring?: number; talk?: number } = {};
    if (applet.url) {
      const query = {
        ...this.callFields(call, live),
        CallStatus: 'in-progress',
        Created: formatIst(call.createdAt),
        DialCallDuration: '0',
        EndTime: NO_END_TIME,
        CallType: 'call-attempt',
        DialWhomNumber: '',
        flow_id: call.appId,
        ...(customField !== undefined ? { CustomField: customField } : {}),
      };
      const headers = { 'Exotel-Version': '1.0' };
      let answer = await this.request('connect', call, index, applet.url, query, headers, live);
      if ((answer.status !== 200 || !answer.body || typeof answer.body !== 'object') && applet.fallbackUrl)
        answer = await this.request('connect', call, index, applet.fallbackUrl, query, headers, live);
      const body =
        answer.status === 200 && answer.body && typeof answer.body === 'object'
          ? (answer.body as Record<string, unknown>)
          : {};
      const destination = (body.destination ?? {}) as { numbers?: unknown };
      numbers = Array.isArray(destination.numbers)
        ? destination.numbers.filter((n): n is string => typeof n === 'string')
        : [];
      limits = {
        ring: typeof body.max_ringing_duration === 'number' ? body.max_ringing_duration : undefined,
        talk: typeof body.max_conversation_duration === 'number' ? body.max_conversation_duration : undefined,
      };
    }
    if (numbers.length === 0) return 'not-connected';
    const number = numbers[0];
    const script = this.parts.scripts.take(number);
    const outcome = script.outcome ?? 'answer';
    const ringLimit = limits.ring ?? 45;
    const bridge: NonNullable<SimFlowCall['bridge']> = {
      number: toNationalForm(number),
      status: '',
      onCallSeconds: 0,
    };
    call.bridge = bridge;
    this.parts.notifier.notify();
    if (outcome === 'busy' || outcome === 'failed' || outcome === 'no-answer') {
      await this.wait(
        live,
        outcome === 'no-answer'
          ? ringLimit
          : Math.min(ringLimit, script.ringSeconds ?? (outcome === 'busy' ? 2 : 1)),
      );
      bridge.status = outcome;
      return outcome;
    }
    await this.wait(live, Math.min(ringLimit, script.ringSeconds ?? 3));
    bridge.status = 'in-progress';
    bridge.answeredAt = Date.now();
    this.parts.notifier.notify();
    const talk = Math.min(
      limits.talk ?? 14_400,
      outcome === 'hangup'
        ? (script.hangupAfterSeconds ?? 1)
        : (script.talkSeconds ?? this.parts.defaultTalkSeconds),
    );
    const before = live.seconds;
    try {
      await this.wait(live, talk);
    } finally {
      bridge.onCallSeconds = Math.round(live.seconds - before);
      bridge.status = 'completed';
    }
    return 'connected';
  }

  /** Call fields every applet request carries. */
  private callFields(call: SimFlowCall, live: LiveCall): Record<string, string> {
    return {
      CallSid: call.sid,
      CallFrom: call.from,
      CallTo: call.to,
      From: call.from,
      To: call.to,
      Direction: call.direction === 'inbound' ? 'incoming' : call.direction,
      StartTime: formatIst(call.createdAt),
      CurrentTime: formatIst(call.createdAt + live.seconds * 1000),
    };
  }

  private async request(
    kind: SimAppletRequest['kind'],
    call: SimFlowCall,
    index: number,
    url: string,
    query: Record<string, string>,
    headers: Record<string, string>,
    live: LiveCall,
  ): Promise<SimAppletRequest> {
    const record: SimAppletRequest = {
      kind,
      callSid: call.sid,
      appletIndex: index,
      url,
      query,
      headers,
      at: Date.now(),
    };
    call.requests.push(record);
    const result = await appletGet(url, query, headers, this.parts.requestTimeoutMs, live.abort.signal);
    record.status = result.status;
    record.error = result.error;
    if (result.body !== undefined) {
      try {
        record.body = JSON.parse(result.body) as unknown;
      } catch {
        record.body = result.body;
      }
    }
    this.parts.notifier.notify();
    if (live.abort.signal.aborted) throw new CallerHungUp();
    return record;
  }

  /** Waits `seconds` of simulated time; a caller hang-up cuts it short. */
  private wait(live: LiveCall, seconds: number): Promise<void> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const signal = live.abort.signal;
      if (signal.aborted) return reject(new CallerHungUp());
      const onAbort = (): void => {
        live.seconds += ((Date.now() - started) * this.parts.clock.speed) / 1000;
        reject(new CallerHungUp());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.parts.clock.after(seconds, () => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
        live.seconds += seconds;
        resolve();
      });
    });
  }

  private end(call: SimFlowCall, flow: FlowDefinition, live: LiveCall, reason: string): void {
    if (call.endedAt !== undefined) return;
    call.status = reason.startsWith('error') ? 'failed' : 'completed';
    call.endReason = reason;
    call.endedAt = Date.now();
    this.live.delete(call.sid);
    this.parts.notifier.notify();
    if (flow.statusCallback && !live.callbackSent) {
      live.callbackSent = true;
      this.sendTerminal(call, flow, live);
    }
  }

  private sendTerminal(call: SimFlowCall, flow: FlowDefinition, live: LiveCall): void {
    const url = flow.statusCallback as string;
    const end = formatIst(call.createdAt + live.seconds * 1000);
    const legs: Record<string, string | number | null>[] = [
      { OnCallDuration: Math.round(live.seconds), Status: call.status, AnsweredBy: 'NA' },
    ];
    if (call.bridge)
      legs.push({
        OnCallDuration: call.bridge.onCallSeconds,
        Status: call.bridge.status,
        AnsweredBy: 'Human',
      });
    const payload: CallbackPayload = {
      CallSid: call.sid,
      EventType: 'terminal',
      DateCreated: formatIst(call.createdAt),
      DateUpdated: end,
      To: call.to,
      From: call.from,
      PhoneNumberSid: call.to,
      StartTime: formatIst(call.createdAt),
      EndTime: end,
      Status: call.status,
      ConversationDuration: call.bridge?.onCallSeconds ?? 0,
      Direction: 'inbound',
      DialWhomNumber: call.bridge?.number ?? null,
      CustomField: null,
      RecordingUrl: null,
      Legs: legs,
    };
    const json = flow.statusCallbackContentType === 'application/json';
    const boundary = `----ExotelSimulator${this.parts.random.chars(16, '0123456789abcdef')}`;
    const delivery: StatusCallbackDelivery = {
      id: Date.now(),
      kind: 'status-callback',
      callSid: call.sid,
      eventType: 'terminal',
      payload,
      ...newDelivery(
        url,
        json ? 'application/json' : `multipart/form-data; boundary=${boundary}`,
        json ? JSON.stringify(payload) : encodeMultipart(payload, boundary),
      ),
    };
    this.parts.callbackLog.push(delivery);
    this.parts.notifier.notify();
    void this.parts.sender.send(delivery, {});
  }
}
