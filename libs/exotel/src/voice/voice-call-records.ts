import type { PassthruAnswer } from './passthru-answer';
import type { StreamAudioFormat } from './codecs/stream-audio-format';

/** What the Passthru endpoint answered: `ok` (HTTP 200, choice A) or `found` (HTTP 302, choice B). */
export type PassthruBranch = 'ok' | 'found';

/** Who ended a stream. */
export type StreamDisconnectedBy = 'user' | 'bot' | 'exotel' | 'NA';

/** A stream as it started (Exotel's `start` event). */
export interface StreamStart {
  readonly callSid: string;
  readonly streamSid: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly format: StreamAudioFormat;
  /** Name of the agent handling it. */
  readonly agent: string;
  /** Custom parameters of the stream URL, without the webhook secret. */
  readonly customParameters: Readonly<Record<string, string>>;
  readonly startedAt: Date;
}

/** A stream as it ended. */
export interface StreamStop {
  readonly callSid: string;
  readonly streamSid: string;
  readonly reason: string;
  readonly disconnectedBy: StreamDisconnectedBy;
  readonly startedAt: Date;
  readonly stoppedAt: Date;
  readonly framesReceived: number;
  readonly chunksSent: number;
  readonly malformedFrames: number;
}

/** A transfer the agent asked for. */
export interface TransferRequest {
  readonly callSid: string;
  readonly streamSid: string | null;
  /** E.164. */
  readonly to: string;
  readonly requestedAt: Date;
}

/** The voice view of a call. */
export interface VoiceCallView {
  readonly callSid: string;
  readonly direction: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly flowId: string | null;
  readonly callType: string | null;
  readonly digits: string | null;
  readonly customField: string | null;
  readonly passthruCount: number;
  readonly lastBranch: PassthruBranch | null;
  readonly stream: {
    readonly streamSid: string | null;
    readonly status: string | null;
    readonly encoding: string | null;
    readonly sampleRate: number | null;
    readonly agent: string | null;
    readonly startedAt: Date | null;
    readonly stoppedAt: Date | null;
    readonly durationSeconds: number | null;
    readonly stopReason: string | null;
    readonly disconnectedBy: string | null;
    readonly recordingUrl: string | null;
  };
  readonly transfer: {
    readonly to: string | null;
    readonly requestedAt: Date | null;
    readonly dialledAt: Date | null;
    readonly count: number;
  };
}

/**
 * Where voice calls are recorded: the port between the voice capability and the call records.
 * Every method changes state and publishes its `voice.*` event in one transaction. The default
 * implementation (`DatabaseVoiceCallRecords`) keeps its own `exotel_voice_calls` table; a host (or
 * the calls capability) may bind another implementation keyed by the same CallSid.
 *
 * Calls are created on first sight, whichever of these arrives first: with Exotel an inbound call
 * can reach the stream before any Passthru, and webhooks land on any replica.
 */
export abstract class VoiceCallRecords {
  /** A Passthru request arrived and was answered with `branch`. */
  abstract recordPassthru(answer: PassthruAnswer, branch: PassthruBranch): Promise<void>;

  /** A bot stream started. */
  abstract recordStreamStarted(start: StreamStart): Promise<void>;

  /** A bot stream ended. */
  abstract recordStreamStopped(stop: StreamStop): Promise<void>;

  /** Stores the transfer target keyed by CallSid, for whichever replica the dial-up request reaches. */
  abstract requestTransfer(request: TransferRequest): Promise<void>;

  /**
   * Numbers the Connect applet should dial for `callSid` (`GET /exotel/dial-up`): the pending
   * transfer target, or none. Marks the transfer dialled the first time.
   */
  abstract dialUpNumbers(callSid: string): Promise<string[]>;

  /** The voice view of a call, if it is known. */
  abstract find(callSid: string): Promise<VoiceCallView | undefined>;
}
