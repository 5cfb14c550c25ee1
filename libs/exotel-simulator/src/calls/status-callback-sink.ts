import type { SimCall, SimLeg } from './call-record';

/**
 * Where the call engine sends a call's status callbacks. The engine owns this shape;
 * `StatusCallbacks` (callbacks/) implements it, posting them to the call's `StatusCallback` URL.
 */
export interface StatusCallbackSink {
  /** Queues the `eventType` callback of `call` as it stands at `offset` (simulated seconds). */
  send(call: SimCall, eventType: 'answered' | 'terminal', offset: number, legs: readonly SimLeg[]): void;
}
