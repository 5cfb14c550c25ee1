/** Status of a simulated call; Exotel reports `in-progress` from creation until the call ends. */
export type SimCallStatus = 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed';

/**
 * Status of one leg in callbacks: `''` while ringing (as in Exotel's `answered` event), null when
 * the leg was never dialled.
 */
export type SimLegStatus =
  '' | 'in-progress' | 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled' | null;

/** Calls/connect parameters after validation. */
export interface ConnectParams {
  readonly from: string;
  readonly callerId: string;
  readonly to?: string;
  readonly url?: string;
  readonly streamUrl?: string;
  readonly streamType?: string;
  readonly streamName?: string;
  readonly callType?: string;
  readonly timeLimit?: number;
  readonly timeOut?: number;
  readonly waitUrl?: string;
  readonly record: boolean;
  readonly recordingChannels?: string;
  readonly recordingFormat?: string;
  readonly customField?: string;
  readonly statusCallback?: string;
  /** Undefined when the request had no `StatusCallbackEvents` (callbacks then carry 4 fields only). */
  readonly statusCallbackEvents?: readonly string[];
  readonly statusCallbackContentType: 'multipart/form-data' | 'application/json';
}

/** One leg of a call as it stands. */
export interface SimLeg {
  status: SimLegStatus;
  /** Seconds this leg was connected. */
  onCallDuration: number;
  /** `Human`/`Machine`/`NotSure`/`NA`. */
  answeredBy: string;
}

/** A call the simulator placed, with its state as it evolves. */
export interface SimCall {
  readonly sid: string;
  /** Creation order, the bulk list's sort key. */
  readonly seq: number;
  /** Wall-clock creation time (epoch ms); later times are this plus simulated seconds. */
  readonly createdAt: number;
  readonly mode: 'connect-numbers' | 'connect-flow' | 'connect-stream';
  readonly params: ConnectParams;
  /** `From`, `To` and the caller id in Exotel's `0`-prefixed national form. */
  readonly from: string;
  readonly to: string;
  readonly phoneNumberSid: string;
  status: SimCallStatus;
  legs: SimLeg[];
  /** Simulated seconds from creation to the last change. */
  updatedOffset: number;
  /** Simulated seconds from creation to the end; undefined while the call is on. */
  endOffset?: number;
  conversationDuration: number;
  recordingUrl: string | null;
  /** Duration, Price and EndTime become visible some time after the end (Exotel: ~2 minutes). */
  detailsPublished: boolean;
  /** Why the simulator made the call fail, when it did (outage, DND). */
  failureReason?: string;
}

/** True once the call has ended. */
export function isEnded(call: SimCall): boolean {
  return call.endOffset !== undefined;
}
