import { CallEngine } from './calls/call-engine';
import { NumberScripts } from './calls/number-scripts';
import { StatusCallbacks, type StatusCallbackDelivery } from './callbacks/status-callbacks';
import { WebhookSender } from './callbacks/webhook-delivery';
import { ExoPhoneHealth } from './exophones/exophone-health';
import { buildInventory, type SimExoPhone } from './exophones/exophone-inventory';
import { FaultPlan } from './faults/fault-plan';
import { FlowEngine } from './flows/flow-engine';
import { defaultCallerAudio } from './voice/caller-audio';
import { RateWindow } from './faults/rate-window';
import { HeartbeatEmitter, type HeartbeatDelivery } from './heartbeat/heartbeat-emitter';
import type { RecordedRequest } from './http/recorded-request';
import type { ResolvedSimulatorOptions } from './simulator-options';
import { BoundedLog } from './support/bounded-log';
import { ChangeNotifier } from './support/change-notifier';
import { toNationalForm } from './support/phone-numbers';
import { SeededRandom } from './support/random';
import { SimClock } from './support/sim-clock';

/**
 * The simulator's state and parts, wired once: what the HTTP routes, the control API and the
 * programmatic API all act on.
 */
export class SimulatorCore {
  readonly random: SeededRandom;
  readonly clock: SimClock;
  readonly notifier = new ChangeNotifier();
  readonly inventory: readonly SimExoPhone[];
  readonly health: ExoPhoneHealth;
  readonly scripts: NumberScripts;
  readonly faults = new FaultPlan();
  readonly sender: WebhookSender;
  readonly requestLog: BoundedLog<RecordedRequest>;
  readonly callbackLog: BoundedLog<StatusCallbackDelivery>;
  readonly heartbeatLog: BoundedLog<HeartbeatDelivery>;
  readonly statusCallbacks: StatusCallbacks;
  readonly heartbeat: HeartbeatEmitter;
  readonly engine: CallEngine;
  readonly limits: { voice?: RateWindow; exophoneDetails?: RateWindow };
  readonly flows: FlowEngine;
  private readonly exoPhoneIndex = new Map<string, SimExoPhone>();
  private seed: number | string;

  constructor(readonly options: ResolvedSimulatorOptions) {
    this.seed = options.seed;
    this.random = new SeededRandom(options.seed);
    this.clock = new SimClock(options.speed);
    this.inventory = buildInventory(options.exoPhones, Date.now());
    for (const phone of this.inventory) {
      this.exoPhoneIndex.set(phone.sid, phone);
      this.exoPhoneIndex.set(toNationalForm(phone.phoneNumber), phone);
    }
    this.health = new ExoPhoneHealth(this.inventory, () => Date.now());
    this.scripts = new NumberScripts(options.calls.defaultScript);
    this.sender = new WebhookSender(options.delivery, this.notifier);
    this.requestLog = new BoundedLog(options.maxRecorded);
    this.callbackLog = new BoundedLog(options.maxRecorded);
    this.heartbeatLog = new BoundedLog(options.maxRecorded);
    this.statusCallbacks = new StatusCallbacks(this.sender, this.callbackLog, this.notifier, this.random);
    this.heartbeat = new HeartbeatEmitter(
      this.inventory,
      this.health,
      this.sender,
      this.heartbeatLog,
      this.notifier,
      options.heartbeatMaxPayloadBytes,
    );
    this.engine = new CallEngine(
      options.accountSid,
      {
        defaultTimeOutSeconds: options.calls.defaultTimeOutSeconds,
        defaultTalkSeconds: options.calls.defaultTalkSeconds,
        detailsDelaySeconds: options.calls.detailsDelaySeconds,
        partialOutageFailureRate: options.calls.partialOutageFailureRate,
        dndNumbers: new Set(
          options.calls.dndBehaviour === 'failed-call' ? options.calls.dndNumbers.map(toNationalForm) : [],
        ),
      },
      this.clock,
      this.random,
      this.scripts,
      this.health,
      (callerId) => this.findExoPhone(callerId)?.sid,
      this.statusCallbacks,
      this.notifier,
    );
    const limits = options.rateLimits;
    this.limits = limits
      ? {
          voice: new RateWindow(limits.voicePerMinute, limits.windowMs),
          exophoneDetails: new RateWindow(limits.exophoneDetailsPerMinute, limits.windowMs),
        }
      : {};
    if (options.heartbeat) this.heartbeat.configure(options.heartbeat);
    this.flows = new FlowEngine({
      accountSid: options.accountSid,
      clock: this.clock,
      random: this.random,
      notifier: this.notifier,
      scripts: this.scripts,
      sender: this.sender,
      callbackLog: this.callbackLog,
      defaultTalkSeconds: options.calls.defaultTalkSeconds,
      defaultAudio: defaultCallerAudio,
      requestTimeoutMs: options.delivery.timeoutMs,
    });
  }

  /** The ExoPhone with exactly this SID. */
  exoPhoneBySid(sid: string): SimExoPhone | undefined {
    const phone = this.exoPhoneIndex.get(sid);
    return phone?.sid === sid ? phone : undefined;
  }

  /** The ExoPhone with this SID or number (any spelling). */
  findExoPhone(idOrNumber: string): SimExoPhone | undefined {
    return this.exoPhoneIndex.get(idOrNumber) ?? this.exoPhoneIndex.get(toNationalForm(idOrNumber));
  }

  /** True when `number` is on the DND registry and such calls are refused with a 400. */
  rejectsDnd(number: string | undefined): boolean {
    const { dndBehaviour, dndNumbers } = this.options.calls;
    return (
      number !== undefined &&
      dndBehaviour === 'reject' &&
      dndNumbers.some((n) => toNationalForm(n) === toNationalForm(number))
    );
  }

  /**
   * Back to the state right after construction: no calls, scripts, faults or recordings, every
   * ExoPhone active, rate windows empty, heartbeats as configured in the options, the generator
   * reseeded (with `seed` if given).
   */
  reset(seed?: number | string): void {
    if (seed !== undefined) this.seed = seed;
    this.flows.reset();
    this.clock.cancelAll();
    this.sender.cancelAll();
    this.random.reseed(this.seed);
    this.engine.reset();
    this.statusCallbacks.reset();
    this.scripts.clear();
    this.faults.clear();
    this.health.reset();
    this.requestLog.clear();
    this.callbackLog.clear();
    this.heartbeatLog.clear();
    this.limits.voice?.reset();
    this.limits.exophoneDetails?.reset();
    this.heartbeat.reset();
    if (this.options.heartbeat) this.heartbeat.configure(this.options.heartbeat);
    this.notifier.notify();
  }

  /** Stops every timer and delivery. */
  close(): void {
    this.flows.close();
    this.heartbeat.stop();
    this.clock.cancelAll();
    this.sender.close();
  }
}
