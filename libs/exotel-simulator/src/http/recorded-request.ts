import type { SimEndpoint } from '../faults/endpoints';
import type { SimulatedFault } from '../faults/fault';

/** A request the simulator received on its Exotel API (the control API is not recorded). */
export interface RecordedRequest {
  readonly id: number;
  /** When it arrived (epoch ms). */
  readonly at: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  /** The endpoint it matched; undefined for unknown paths. */
  endpoint?: SimEndpoint;
  readonly contentType?: string;
  /** The form body (POST), array keys folded: `StatusCallbackEvents: ['terminal','answered']`. */
  form?: Record<string, string | string[]>;
  /** The status answered; undefined while pending or when the answer was withheld. */
  status?: number;
  /** `pending`, `answered`, `hung` (answer withheld) or `closed` (client gave up on a withheld answer). */
  outcome: 'pending' | 'answered' | 'hung' | 'closed';
  /** The fault injected into it, if any. */
  fault?: SimulatedFault;
  /** The call it placed (Calls/connect), also when the answer was withheld. */
  callSid?: string;
  /** Time until the answer was written. */
  durationMs?: number;
}
