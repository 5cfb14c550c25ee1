import type { ExoPhoneHealth } from '../exophones/exophone-health';
import type { ChangeNotifier } from '../support/change-notifier';
import { toNationalForm } from '../support/phone-numbers';
import { opaqueSid, type SeededRandom } from '../support/random';
import type { SimClock } from '../support/sim-clock';
import type { ConnectParams, SimCall, SimLeg } from './call-record';
import { planCall, type CallPlan } from './call-plan';
import type { NumberScript, NumberScripts } from './number-scripts';
import type { StatusCallbackSink } from './status-callback-sink';

/** Lifecycle settings (simulated seconds unless said otherwise). */
export interface CallEngineSettings {
  /** Ring time per leg when the request has no `TimeOut`. */
  readonly defaultTimeOutSeconds: number;
  /** Conversation length when no script says. */
  readonly defaultTalkSeconds: number;
  /** Delay before `EndTime`, `Duration` and `Price` appear on the call (Exotel: ~120). */
  readonly detailsDelaySeconds: number;
  /** Chance that a call from an ExoPhone with a `partial_network_outage` outgoing fails. */
  readonly partialOutageFailureRate: number;
  /** Numbers (any spelling) on the DND registry: calls to them fail. */
  readonly dndNumbers: ReadonlySet<string>;
}

/**
 * Places calls and runs their lifecycle on the simulated clock: leg 1 rings and answers per the
 * `From` number's script, then leg 2 per the `To` number's, then the conversation; `answered` and
 * `terminal` status callbacks go out as the call moves. An ExoPhone whose outgoing connectivity is
 * down makes the calls it is the caller id of fail.
 */
export class CallEngine {
  private readonly calls = new Map<string, SimCall>();
  private ordered: SimCall[] = [];
  private seq = 0;
  // Plan version per call: a hang-up re-plans, and events of the old plan are ignored.
  private readonly versions = new Map<string, number>();
  private readonly answeredFired = new Map<string, number>();
  private readonly scriptsOf = new Map<string, { leg1: NumberScript; leg2?: NumberScript }>();

  constructor(
    private readonly accountSid: string,
    private readonly settings: CallEngineSettings,
    private readonly clock: SimClock,
    private readonly random: SeededRandom,
    private readonly scripts: NumberScripts,
    private readonly health: ExoPhoneHealth,
    private readonly exoPhoneSid: (callerId: string) => string | undefined,
    private readonly callbacks: StatusCallbackSink,
    private readonly notifier: ChangeNotifier,
  ) {}

  /** Creates a call (Exotel has originated leg 1) and starts its lifecycle. */
  place(params: ConnectParams): SimCall {
    const mode = params.to ? 'connect-numbers' : params.url ? 'connect-flow' : 'connect-stream';
    const phoneNumberSid = toNationalForm(params.callerId);
    const call: SimCall = {
      sid: opaqueSid(this.random),
      seq: ++this.seq,
      createdAt: Date.now(),
      mode,
      params,
      from: toNationalForm(params.from),
      to: params.to ? toNationalForm(params.to) : phoneNumberSid,
      phoneNumberSid,
      status: 'in-progress',
      legs: mode === 'connect-numbers' ? [leg(''), leg(null)] : [leg('')],
      updatedOffset: 0,
      conversationDuration: 0,
      recordingUrl: null,
      detailsPublished: false,
    };
    call.failureReason = this.failureReason(call);
    this.calls.set(call.sid, call);
    this.ordered.push(call);
    this.answeredFired.set(call.sid, 0);
    this.schedule(call, this.plan(call));
    this.notifier.notify();
    return call;
  }

  get(sid: string): SimCall | undefined {
    return this.calls.get(sid);
  }

  /** Every call, oldest first. */
  list(): readonly SimCall[] {
    return this.ordered;
  }

  /**
   * Hangs a call up now: during the conversation it ends `completed`; while leg 2 rings, leg 2 is
   * `canceled` and the call ends `no-answer`. False when the call is unknown or already over.
   */
  hangUp(sid: string): boolean {
    const call = this.calls.get(sid);
    if (!call || call.endOffset !== undefined) return false;
    // Never before an event that already fired: timers and Date.now() disagree by a millisecond.
    const now = Math.max(this.elapsed(call), call.updatedOffset);
    this.schedule(call, this.plan(call, now), now);
    return true;
  }

  /** Forgets every call (their pending events are dropped by the caller cancelling the clock). */
  reset(): void {
    this.calls.clear();
    this.ordered = [];
    this.versions.clear();
    this.answeredFired.clear();
    this.scriptsOf.clear();
    this.seq = 0;
  }

  private failureReason(call: SimCall): string | undefined {
    const sid = this.exoPhoneSid(call.params.callerId);
    const outgoing = sid ? this.health.get(sid, 'outgoing') : undefined;
    if (outgoing?.status === 'major_outage') return `caller id ${sid} outgoing major_outage`;
    if (
      outgoing?.status === 'partial_network_outage' &&
      this.random.chance(this.settings.partialOutageFailureRate)
    ) {
      return `caller id ${sid} outgoing partial_network_outage`;
    }
    const dnd = [call.from, call.params.to].find(
      (n) => n !== undefined && this.settings.dndNumbers.has(toNationalForm(n)),
    );
    return dnd ? `${toNationalForm(dnd)} is on the DND registry` : undefined;
  }

  private plan(call: SimCall, cutAt?: number): CallPlan {
    // A hang-up re-plans with the scripts of the first plan: one-off scripts are used once.
    let scripts = this.scriptsOf.get(call.sid);
    if (!scripts) {
      scripts = {
        leg1: this.scripts.take(call.params.from),
        leg2: call.params.to ? this.scripts.take(call.params.to) : undefined,
      };
      this.scriptsOf.set(call.sid, scripts);
    }
    return planCall({
      leg1: scripts.leg1,
      leg2: scripts.leg2,
      ringLimit: call.params.timeOut ?? this.settings.defaultTimeOutSeconds,
      timeLimit: call.params.timeLimit ?? 14_400,
      defaultTalkSeconds: this.settings.defaultTalkSeconds,
      failBeforeRinging: call.failureReason !== undefined,
      cutAt,
    });
  }

  private schedule(call: SimCall, plan: CallPlan, now = 0): void {
    const version = (this.versions.get(call.sid) ?? 0) + 1;
    this.versions.set(call.sid, version);
    const live = (): boolean => this.versions.get(call.sid) === version;
    plan.answeredAt.forEach((at, index) => {
      if (index < (this.answeredFired.get(call.sid) ?? 0)) return;
      this.clock.after(
        Math.max(0, at - now),
        () => live() && this.answered(call, index, at, plan.legs[index].answeredBy),
      );
    });
    this.clock.after(Math.max(0, plan.end - now), () => live() && this.terminate(call, plan));
  }

  private answered(call: SimCall, index: number, at: number, answeredBy: string): void {
    this.answeredFired.set(call.sid, index + 1);
    call.legs[index] = { ...call.legs[index], status: 'in-progress', answeredBy };
    if (index === 0 && call.legs[1]) call.legs[1] = { ...call.legs[1], status: '' };
    call.updatedOffset = at;
    if (call.params.statusCallbackEvents?.includes('answered')) {
      this.callbacks.send(
        call,
        'answered',
        at,
        call.legs.map((l) => ({ ...l })),
      );
    }
    this.notifier.notify();
  }

  private terminate(call: SimCall, plan: CallPlan): void {
    this.answeredFired.delete(call.sid);
    this.scriptsOf.delete(call.sid);
    call.status = plan.status;
    call.legs = plan.legs.map((planned) => ({
      status: planned.status,
      onCallDuration: planned.answeredAt === undefined ? 0 : plan.end - planned.answeredAt,
      answeredBy: planned.answeredBy,
    }));
    call.conversationDuration = plan.conversation;
    call.endOffset = plan.end;
    call.updatedOffset = plan.end;
    if (call.params.record && plan.conversation > 0) {
      call.recordingUrl = `https://s3-ap-southeast-1.amazonaws.com/exotelrecordings/${this.accountSid}/${call.sid}.mp3`;
    }
    this.callbacks.send(call, 'terminal', plan.end, call.legs);
    if (this.settings.detailsDelaySeconds <= 0) call.detailsPublished = true;
    else this.clock.after(this.settings.detailsDelaySeconds, () => this.publishDetails(call));
    this.notifier.notify();
  }

  private publishDetails(call: SimCall): void {
    call.detailsPublished = true;
    this.notifier.notify();
  }

  private elapsed(call: SimCall): number {
    return ((Date.now() - call.createdAt) * this.clock.speed) / 1000;
  }
}

function leg(status: SimLeg['status']): SimLeg {
  return { status, onCallDuration: 0, answeredBy: 'NA' };
}
