// The public surface of exotel-simulator.
export { ExotelSimulator } from './exotel-simulator';
export {
  DEFAULT_SEED,
  type ExotelSimulatorOptions,
  type ResolvedSimulatorOptions,
} from './simulator-options';
export type { ConnectParams, SimCall, SimCallStatus, SimLeg, SimLegStatus } from './calls/call-record';
export type { CallOutcome, NumberScript } from './calls/number-scripts';
export type { StatusCallbackDelivery } from './callbacks/status-callbacks';
export type { CallbackPayload } from './callbacks/form-encoding';
export type { DeliveryAttempt, DeliveryPolicy, WebhookDelivery } from './callbacks/webhook-delivery';
export type { CallDirection, ConnectivityStatus, SetHealthOptions } from './exophones/exophone-health';
export type { ExoPhoneSeed, SimExoPhone } from './exophones/exophone-inventory';
export type { SimEndpoint } from './faults/endpoints';
export { Faults, type SimulatedFault } from './faults/fault';
export type { ActiveFaultRule, FaultRule } from './faults/fault-plan';
export { EXOTEL_CONNECT_LATENCY, sampleLatency, type LatencyQuantiles } from './faults/latency-profile';
export type { EmitOptions, HeartbeatDelivery, HeartbeatSettings } from './heartbeat/heartbeat-emitter';
export type {
  HeartbeatFormat,
  HeartbeatPayload,
  HeartbeatShape,
  HeartbeatStatusType,
} from './heartbeat/heartbeat-payload';
export type { RecordedRequest } from './http/recorded-request';
export { SeededRandom } from './support/random';
export { SimulatorWaitTimeoutError } from './support/change-notifier';
export { startDemoScenario, type DemoScenario, type DemoScenarioOptions } from './demo/demo-scenario';
export type {
  ConnectApplet,
  FlowApplet,
  FlowDefinition,
  GatherApplet,
  GreetingApplet,
  HangupApplet,
  PassthruApplet,
  StreamApplet,
} from './flows/flow-definition';
export type { SimAppletRequest, SimAppletRun, SimFlowCall } from './flows/flow-call';
export type { InboundCallOptions } from './flows/flow-engine';
export type { StreamScript } from './voice/stream-client';
export { chunkViolation as exotelChunkViolation } from './voice/stream-client';
export {
  callerAudioOf,
  playedBotAudioOf,
  type SimBotChunk,
  type SimStreamEndedBy,
  type SimStreamSession,
} from './voice/stream-session';
export { defaultCallerAudio, CALLER_FIXTURE } from './voice/caller-audio';
export { readWav, writeWav, syntheticSpeech, type PcmClip } from './voice/wav';
export { encodeSamples, toRate, streamBytesPerSecond, type SimStreamEncoding } from './voice/stream-audio';
