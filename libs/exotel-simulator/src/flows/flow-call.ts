import type { SimLeg } from '../calls/call-record';
import type { SimStreamSession } from '../voice/stream-session';

/** A request the flow made to the customer's server (Passthru, dynamic Connect, dynamic stream URL). */
export interface SimAppletRequest {
  readonly kind: 'passthru' | 'connect' | 'stream-url';
  readonly callSid: string;
  readonly appletIndex: number;
  /** The URL as configured (it may carry the webhook secret: do not log it). */
  readonly url: string;
  /** The query sent. */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly at: number;
  status?: number;
  /** The answer's body, parsed as JSON when it was JSON. */
  body?: unknown;
  error?: string;
}

/** What happened at one applet. */
export interface SimAppletRun {
  readonly index: number;
  readonly type: string;
  readonly startedAt: number;
  endedAt?: number;
  /** `ok`/`found` (Passthru), `connected`/`not-connected`/`busy`... (Connect), the stream's end... */
  outcome?: string;
}

/** A call running through a flow (inbound to an ExoPhone). */
export interface SimFlowCall {
  readonly sid: string;
  readonly appId: string;
  readonly direction: 'inbound';
  /** Caller and ExoPhone in Exotel's `0`-prefixed national form. */
  readonly from: string;
  readonly to: string;
  readonly createdAt: number;
  status: 'in-progress' | 'completed' | 'failed';
  readonly applets: SimAppletRun[];
  readonly requests: SimAppletRequest[];
  readonly streams: SimStreamSession[];
  /** Digits of the last Gather. */
  digits?: string;
  /** The leg Connect bridged the caller to, if it dialled anyone. */
  bridge?: { number: string; status: SimLeg['status']; answeredAt?: number; onCallSeconds: number };
  endedAt?: number;
  /** `completed` (flow ended or hangup applet), `caller-hangup`, `simulator-stopped`. */
  endReason?: string;
}
