import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimCall } from './calls/call-record';
import { callRoutes } from './calls/calls.routes';
import type { NumberScript } from './calls/number-scripts';
import type { StatusCallbackDelivery } from './callbacks/status-callbacks';
import { controlRoutes } from './control/control.routes';
import { handleControlRequest } from './control/control-server';
import type { CallDirection, ConnectivityStatus, SetHealthOptions } from './exophones/exophone-health';
import type { SimExoPhone } from './exophones/exophone-inventory';
import { exoPhoneRoutes } from './exophones/exophones.routes';
import type { SimulatedFault } from './faults/fault';
import type { FlowDefinition } from './flows/flow-definition';
import type { SimFlowCall } from './flows/flow-call';
import type { InboundCallOptions } from './flows/flow-engine';
import type { SimStreamSession } from './voice/stream-session';
import type { ActiveFaultRule, FaultRule } from './faults/fault-plan';
import type { EmitOptions, HeartbeatDelivery, HeartbeatSettings } from './heartbeat/heartbeat-emitter';
import type { HeartbeatPayload } from './heartbeat/heartbeat-payload';
import { ApiPipeline } from './http/api-pipeline';
import { restException, writeReply } from './http/reply';
import type { RecordedRequest } from './http/recorded-request';
import { SimulatorCore } from './simulator-core';
import {
  resolveSimulatorOptions,
  type ExotelSimulatorOptions,
  type ResolvedSimulatorOptions,
} from './simulator-options';

/** Default time `waitFor` and its helpers wait (real ms). */
const DEFAULT_WAIT_MS = 5_000;

/**
 * A faithful local Exotel on loopback, for tests, demos and benchmarks: the v1 voice API
 * (Calls/connect, call details, bulk list), the ExoPhone APIs (v2_beta list, v2 details with
 * connectivity), a call lifecycle with StatusCallbacks, the Heartbeat webhook, Exotel's rate limits,
 * fault injection, and a control API under `/_sim` that mirrors the methods below.
 *
 * ```ts
 * const simulator = new ExotelSimulator({ speed: 1000 });
 * const baseUrl = await simulator.start();
 * simulator.scriptNumber('+919812345678', { outcome: 'busy' });
 * // …point ExotelModule at baseUrl with simulator.apiKey / apiToken / accountSid…
 * const terminal = await simulator.waitForCallback((d) => d.eventType === 'terminal');
 * await simulator.stop();
 * ```
 */
export class ExotelSimulator {
  readonly accountSid: string;
  readonly apiKey: string;
  readonly apiToken: string;
  /** The options with their defaults. */
  readonly options: ResolvedSimulatorOptions;
  private readonly core: SimulatorCore;
  private readonly pipeline: ApiPipeline;
  private readonly control = controlRoutes(this);
  private server?: Server;
  private url?: string;

  constructor(options: ExotelSimulatorOptions = {}) {
    this.options = resolveSimulatorOptions(options);
    this.accountSid = this.options.accountSid;
    this.apiKey = this.options.apiKey;
    this.apiToken = this.options.apiToken;
    this.core = new SimulatorCore(this.options);
    this.pipeline = new ApiPipeline(this.core, [...callRoutes(this.core), ...exoPhoneRoutes(this.core)]);
  }

  /** Base URL once started, e.g. `http://127.0.0.1:41235`. */
  get baseUrl(): string {
    if (!this.url) throw new Error('The simulator is not started');
    return this.url;
  }

  /**
   * Starts listening; resolves to the base URL. Heartbeats configured by then (the `heartbeat`
   * option) send their first one right away, then one every interval.
   */
  async start(): Promise<string> {
    if (this.url) return this.url;
    const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) =>
      this.dispatch(request, response),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, resolve);
    });
    this.server = server;
    const { address, port } = server.address() as AddressInfo;
    this.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    this.core.heartbeat.beginNow();
    return this.url;
  }

  /** Stops listening, closes open connections (withheld answers too) and stops every timer. */
  async stop(): Promise<void> {
    this.core.close();
    const server = this.server;
    this.server = undefined;
    this.url = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- Calls -------------------------------------------------------------------------------

  /** Scripts how the party at `number` behaves when called (any spelling of the number). */
  scriptNumber(number: string, script: NumberScript): void {
    this.core.scripts.set(number, script);
  }

  /** Forgets the script of `number`, or of every number. */
  clearScripts(number?: string): void {
    this.core.scripts.clear(number);
  }

  /** Every call placed, oldest first (live records: they change as calls progress). */
  calls(): readonly SimCall[] {
    return [...this.core.engine.list()];
  }

  /** One call by SID. */
  call(sid: string): SimCall | undefined {
    return this.core.engine.get(sid);
  }

  /** Hangs a call up now (see `CallEngine.hangUp`); false when unknown or already over. */
  hangUp(callSid: string): boolean {
    return this.core.engine.hangUp(callSid);
  }

  // ---- Flows, inbound calls and streams ------------------------------------------------------

  /**
   * Defines the flow (Exotel app) `appId`: Greeting, Gather, Passthru, Voicebot/Stream, Connect,
   * Hangup, and where its terminal status callback goes.
   */
  defineFlow(appId: string, flow: FlowDefinition): void {
    this.core.flows.define(appId, flow);
  }

  /** A caller rings an ExoPhone connected to a defined flow; the call runs on its own. */
  startInboundCall(options: InboundCallOptions): SimFlowCall {
    return this.core.flows.startInbound(options);
  }

  /** Every inbound flow call, oldest first (live records). */
  flowCalls(): readonly SimFlowCall[] {
    return [...this.core.flows.list()];
  }

  /** One inbound flow call by SID. */
  flowCall(sid: string): SimFlowCall | undefined {
    return this.core.flows.get(sid);
  }

  /** Every stream the flows opened, oldest first (live records). */
  streams(): SimStreamSession[] {
    return this.core.flows.streams();
  }

  /** The caller presses `digit` on the call's open Voicebot stream; false when none is open. */
  pressKey(callSid: string, digit: string): boolean {
    return this.core.flows.pressKey(callSid, digit);
  }

  /** The caller of an inbound flow call hangs up now (`stop` with `callended` on an open stream). */
  hangUpFlowCall(callSid: string): boolean {
    return this.core.flows.hangUp(callSid);
  }

  /** The flow call once `predicate` holds (by default: once it has ended). */
  waitForFlowCall(
    callSid: string,
    predicate: (call: SimFlowCall) => boolean = (call) => call.endedAt !== undefined,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<SimFlowCall> {
    return this.waitFor(
      () => {
        const call = this.core.flows.get(callSid);
        return call && predicate(call) ? call : undefined;
      },
      timeoutMs,
      `flow call ${callSid}`,
    );
  }

  // ---- ExoPhones -------------------------------------------------------------------------

  /** The seeded ExoPhones. */
  exoPhones(): readonly SimExoPhone[] {
    return this.core.inventory;
  }

  /** Sets an ExoPhone's connectivity; the next heartbeat and the v2 GET both report it. */
  setHealth(
    exoPhoneSid: string,
    direction: CallDirection | 'both',
    status: ConnectivityStatus,
    options?: SetHealthOptions,
  ): void {
    this.core.health.set(exoPhoneSid, direction, status, options);
    this.core.notifier.notify();
  }

  /** An ExoPhone's connectivity in one direction. */
  health(exoPhoneSid: string, direction: CallDirection): ConnectivityStatus | undefined {
    return this.core.health.get(exoPhoneSid, direction)?.status;
  }

  // ---- Heartbeat -------------------------------------------------------------------------

  /**
   * Starts heartbeats to `url` every `intervalSeconds` (real time), the first one interval from now
   * (`emitHeartbeatNow()` sends one at once); `undefined` stops them.
   */
  setHeartbeat(settings: HeartbeatSettings | undefined): void {
    this.core.heartbeat.configure(settings);
  }

  /** The current heartbeat settings. */
  heartbeatSettings(): HeartbeatSettings | undefined {
    return this.core.heartbeat.current;
  }

  /** Sends a heartbeat now; resolves when delivered or given up (after retries). */
  emitHeartbeatNow(options?: EmitOptions): Promise<HeartbeatDelivery> {
    return this.core.heartbeat.emit(options);
  }

  /**
   * The heartbeat the simulator would send next, from the current health, without sending it
   * (each a second after the previous one, so a receiver never takes it for a retry).
   */
  composeHeartbeat(options?: Omit<EmitOptions, 'url'>): { payload: HeartbeatPayload; body: string } {
    return this.core.heartbeat.compose(options);
  }

  /** The next `times` heartbeats say PAYLOAD_TOO_LARGE. */
  scriptPayloadTooLarge(times = 1): void {
    this.core.heartbeat.scriptPayloadTooLarge(times);
  }

  // ---- Faults ----------------------------------------------------------------------------

  /**
   * Injects a fault: into the next `count` requests (default 1) or into a `rate` of them, on
   * Calls/connect unless `endpoints` says otherwise. A list of faults applies to the next requests
   * in order (one each).
   */
  injectFaults(rule: FaultRule | readonly SimulatedFault[]): ActiveFaultRule[] {
    if (Array.isArray(rule))
      return (rule as readonly SimulatedFault[]).map((fault) => this.core.faults.add({ fault }));
    return [this.core.faults.add(rule as FaultRule)];
  }

  /** The fault rules still active. */
  activeFaults(): ActiveFaultRule[] {
    return this.core.faults.list();
  }

  clearFaults(): void {
    this.core.faults.clear();
  }

  // ---- Recordings and waiting ---------------------------------------------------------------

  /** Requests received on the Exotel API (the control API is not recorded), oldest first. */
  requests(): RecordedRequest[] {
    return this.core.requestLog.list();
  }

  /** StatusCallback deliveries, oldest first (with every attempt). */
  callbacks(): StatusCallbackDelivery[] {
    return this.core.callbackLog.list();
  }

  /** Heartbeat deliveries, oldest first. */
  heartbeats(): HeartbeatDelivery[] {
    return this.core.heartbeatLog.list();
  }

  /**
   * Resolves with the first truthy value of `probe`, checked now and whenever the simulator records
   * anything; rejects after `timeoutMs` (real time).
   */
  waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs = DEFAULT_WAIT_MS,
    description?: string,
  ): Promise<T> {
    return this.core.notifier.waitFor(probe, timeoutMs, description);
  }

  /** The first finished StatusCallback delivery matching `predicate`. */
  waitForCallback(
    predicate: (delivery: StatusCallbackDelivery) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<StatusCallbackDelivery> {
    return this.waitFor(
      () => this.callbacks().find((d) => d.done && predicate(d)),
      timeoutMs,
      'a status callback',
    );
  }

  /** The first finished heartbeat delivery matching `predicate`. */
  waitForHeartbeat(
    predicate: (delivery: HeartbeatDelivery) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<HeartbeatDelivery> {
    return this.waitFor(
      () => this.heartbeats().find((d) => d.done && predicate(d)),
      timeoutMs,
      'a heartbeat',
    );
  }

  /** The call once `predicate` holds for it (by default: once it has ended). */
  waitForCall(
    callSid: string,
    predicate: (call: SimCall) => boolean = (call) => call.endOffset !== undefined,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<SimCall> {
    return this.waitFor(
      () => {
        const call = this.core.engine.get(callSid);
        return call && predicate(call) ? call : undefined;
      },
      timeoutMs,
      `call ${callSid}`,
    );
  }

  /** The first recorded request matching `predicate`. */
  waitForRequest(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests().find(predicate), timeoutMs, 'a request');
  }

  /** Back to the freshly constructed state (optionally with a new seed); keeps listening. */
  reset(seed?: number | string): void {
    this.core.reset(seed);
  }

  private dispatch(request: IncomingMessage, response: ServerResponse): void {
    const work = request.url?.startsWith('/_sim')
      ? handleControlRequest(this.control, request, response)
      : this.pipeline.handle(request, response);
    work.catch((error: unknown) => {
      writeReply(
        response,
        restException(500, `Simulator fault: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  }
}
