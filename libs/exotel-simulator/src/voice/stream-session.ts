import type { SimStreamEncoding } from './stream-audio';

/** A media message the bot sent, as the simulator received it. */
export interface SimBotChunk {
  /** Arrival time (`performance.now()` ms, same clock as the session's other times). */
  readonly at: number;
  readonly bytes: number;
  /** The decoded payload (empty when it was not base64). */
  readonly payload: Buffer;
  /** Why the chunk breaks Exotel's rules, if it does. */
  readonly violation?: string;
  /** When it started playing (undefined: dropped by a clear before it started). */
  playedAt?: number;
}

/** How a simulated stream ended. */
export type SimStreamEndedBy = 'bot' | 'caller' | 'applet' | 'error';

/**
 * One simulated stream (Voicebot or Stream applet, or a Connect-Voice-AI call) with everything
 * that went over it, for assertions. Times are `performance.now()` milliseconds.
 */
export interface SimStreamSession {
  readonly streamSid: string;
  readonly callSid: string;
  /** The stream URL without credentials or query. */
  readonly url: string;
  readonly bidirectional: boolean;
  readonly encoding: SimStreamEncoding;
  readonly sampleRate: number;
  readonly customParameters: Readonly<Record<string, string>>;
  /** When the socket opened; undefined when it never did. */
  openedAt?: number;
  endedAt?: number;
  endedBy?: SimStreamEndedBy;
  /** The `stop` reason sent (`callended`, `stopped`), if the simulator ended the stream. */
  stopReason?: string;
  /** Why the connection failed, when it did. */
  error?: string;
  /** Caller audio sent, one wire payload per media frame, in order. */
  readonly callerFrames: { readonly at: number; readonly payload: Buffer }[];
  readonly botChunks: SimBotChunk[];
  /** Every chunk-rule or protocol problem seen in the bot's messages. */
  readonly violations: string[];
  readonly marksReceived: { readonly name: string; readonly at: number }[];
  readonly marksEchoed: { readonly name: string; readonly at: number }[];
  readonly clears: { readonly at: number; readonly droppedBytes: number; readonly droppedMarks: number }[];
  readonly dtmfSent: { readonly digit: string; readonly at: number }[];
}

/** The caller audio the simulator sent on a stream, as one buffer of wire bytes. */
export function callerAudioOf(session: SimStreamSession): Buffer {
  return Buffer.concat(session.callerFrames.map((f) => f.payload));
}

/** The bot audio that played (not dropped by a clear), as one buffer of wire bytes. */
export function playedBotAudioOf(session: SimStreamSession): Buffer {
  return Buffer.concat(session.botChunks.filter((c) => c.playedAt !== undefined).map((c) => c.payload));
}
