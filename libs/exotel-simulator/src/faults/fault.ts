/**
 * A fault to inject into one answer. The fields combine: `{ status: 503 }` answers 503 at once,
 * `{ status: 504, delayMs: 30000 }` answers 504 after 30 simulated seconds, `{ hang: true }` never
 * answers. On Calls/connect `placeCall` decides whether the call is created anyway (it then rings,
 * runs its lifecycle and sends its callbacks) — how a client learns that a timeout or a 5xx did not
 * prove that nothing was dialled.
 */
export interface SimulatedFault {
  /** Answer with this HTTP status and Exotel's body for it (400, 402, 403, 429, 500, 503, 504…). */
  readonly status?: number;
  /** Overrides the body's `Message`. */
  readonly message?: string;
  /** Overrides the body's `Code` (e.g. 35008 on a 503). */
  readonly code?: number | string;
  /** Sends `Retry-After: <seconds>` with the answer. */
  readonly retryAfterSeconds?: number;
  /** Withholds the answer until the client gives up (closes the socket) or the simulator stops. */
  readonly hang?: boolean;
  /**
   * Calls/connect only: create the call before answering. @default true with `hang`, false with `status`
   */
  readonly placeCall?: boolean;
  /**
   * Simulated milliseconds to wait before answering (divided by `speed`), or `'sampled'` for a draw
   * from the latency profile.
   */
  readonly delayMs?: number | 'sampled';
}

/** Ready-made faults for the failures seen from Exotel. */
export const Faults = {
  /** 403 with the observed KYC message (outbound voice blocked until KYC is done). */
  kyc: (): SimulatedFault => ({ status: 403 }),
  /** 402 Payment Required (plan or usage limits). */
  paymentRequired: (): SimulatedFault => ({ status: 402 }),
  /** 400 "CallerId is not a valid ExoPhone"-style rejection. */
  invalidCallerId: (): SimulatedFault => ({ status: 400, message: 'CallerId is not a valid ExoPhone' }),
  /** 429 Too Many Requests. */
  rateLimited: (retryAfterSeconds?: number): SimulatedFault => ({ status: 429, retryAfterSeconds }),
  /** 500: Exotel could not originate the call on any route. */
  internalError: (): SimulatedFault => ({ status: 500 }),
  /** 503 `{"Message":"Service Unavailable; ","Code":35008}`, as observed. */
  serviceUnavailable: (): SimulatedFault => ({ status: 503 }),
  /** 504 from Exotel's gateway (an HTML page, not JSON). */
  gatewayTimeout: (): SimulatedFault => ({ status: 504 }),
  /** The call is placed, but the answer never comes: the client times out not knowing. */
  hangAfterPlacing: (): SimulatedFault => ({ hang: true, placeCall: true }),
  /** Nothing is placed and nothing is answered. */
  hang: (): SimulatedFault => ({ hang: true, placeCall: false }),
  /** A slow answer, in simulated milliseconds. */
  slow: (delayMs: number): SimulatedFault => ({ delayMs }),
} as const;

/** Whether the call is created under `fault` (Calls/connect). */
export function placesCall(fault: SimulatedFault | undefined): boolean {
  if (!fault) return true;
  if (fault.placeCall !== undefined) return fault.placeCall;
  if (fault.hang) return true;
  return fault.status === undefined;
}
