import type { Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { logLine } from '../logging/log-line';
import { toE164 } from '../phone/phone-number';
import { LinearResampler, type VoiceSampleRate } from './codecs/linear-resampler';
import { decodePayload, type StreamAudioFormat } from './codecs/stream-audio-format';
import type { StreamDisconnectedBy, TransferRequest } from './voice-call-records';
import { TransferNumberInvalidError, VoiceSessionClosedError } from './voice.errors';
import { VoiceInputQueue } from './voice-input-queue';
import { VoiceOutput } from './voice-output';

/** Caller audio: decoded PCM16 at the agent's sample rate. */
export interface VoiceAudioInput {
  readonly type: 'audio';
  readonly samples: Int16Array;
  readonly sampleRate: VoiceSampleRate;
  /** Exotel's `media.chunk` and `media.timestamp` (ms since the stream started), when sent. */
  readonly chunk: number | null;
  readonly timestamp: number | null;
  /** When the frame reached the gateway (`performance.now()` ms). */
  readonly receivedAt: number;
}

/** A key the caller pressed (Voicebot applet only). */
export interface VoiceDtmfInput {
  readonly type: 'dtmf';
  readonly digit: string;
  readonly durationMs: number | null;
  readonly receivedAt: number;
}

/** What a session's iterator yields. */
export type VoiceInput = VoiceAudioInput | VoiceDtmfInput;

/** The call behind a stream, from Exotel's `start` event. */
export interface VoiceStreamMetadata {
  readonly callSid: string;
  readonly streamSid: string;
  readonly accountSid: string | null;
  readonly from: string | null;
  readonly to: string | null;
  /** The stream URL's custom query parameters (the webhook secret removed). */
  readonly customParameters: Readonly<Record<string, string>>;
  /** The wire format. */
  readonly format: StreamAudioFormat;
  /** The rate of the PCM16 the agent reads and sends. */
  readonly sampleRate: VoiceSampleRate;
  /** The agent handling the stream. */
  readonly agent: string;
}

/** Options of `send()`. */
export interface VoiceSendOptions {
  /**
   * More audio of the same utterance follows: keep a tail shorter than a chunk for the next call
   * instead of padding it with silence now. @default false
   */
  more?: boolean;
}

/** What the session needs from the gateway. */
export interface VoiceSessionContext {
  readonly socket: WebSocket;
  readonly metadata: VoiceStreamMetadata;
  readonly sendFrameMs: number;
  readonly logger: Logger;
  readonly requestTransfer: (request: TransferRequest) => Promise<void>;
  readonly now: () => Date;
}

/** Why the session ended and who ended it. */
export interface VoiceSessionEnd {
  readonly reason: string;
  readonly disconnectedBy: StreamDisconnectedBy;
}

/**
 * One call's bot stream, for the agent: an async iterator of the caller's audio (decoded PCM16)
 * and DTMF (`VoiceInputQueue`); `send()` to speak (resampled, encoded, cut into chunks Exotel
 * accepts and paced in real time, `VoiceOutput`); `mark()` to learn when audio has played;
 * `clear()` for barge-in; `hangup()` and `transfer()` to end the bot's part of the call. Bound to
 * one CallSid for its whole life.
 */
export class VoiceSession implements AsyncIterable<VoiceInput> {
  private readonly inputs: VoiceInputQueue;
  private readonly output: VoiceOutput;
  private readonly inbound?: LinearResampler;
  private ended?: VoiceSessionEnd;
  private closing?: VoiceSessionEnd;
  /** Counters for the stop record. */
  readonly stats = { framesReceived: 0, chunksSent: 0, malformedFrames: 0 };

  constructor(private readonly context: VoiceSessionContext) {
    const { format, sampleRate, streamSid } = context.metadata;
    if (sampleRate !== format.sampleRate) this.inbound = new LinearResampler(format.sampleRate, sampleRate);
    this.inputs = new VoiceInputQueue(() =>
      this.context.logger.warn(
        logLine('Voice agent is not reading its session; dropping the oldest input', {
          callSid: this.callSid,
        }),
      ),
    );
    this.output = new VoiceOutput({
      format,
      sampleRate,
      streamSid,
      sendFrameMs: context.sendFrameMs,
      write: (message) => this.write(message),
      sent: () => (this.stats.chunksSent += 1),
    });
  }

  /** The call behind the stream. */
  get metadata(): VoiceStreamMetadata {
    return this.context.metadata;
  }

  get callSid(): string {
    return this.context.metadata.callSid;
  }

  /** True once the stream has ended (or the session is closing it). */
  get isClosed(): boolean {
    return this.ended !== undefined || this.closing !== undefined;
  }

  /** Milliseconds of audio queued by `send()` and not yet sent to Exotel. */
  get queuedMs(): number {
    return this.output.queuedMs;
  }

  /** How the session ended, once it has. */
  get end(): VoiceSessionEnd | undefined {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<VoiceInput> {
    return this.inputs[Symbol.asyncIterator]();
  }

  /**
   * Speaks: PCM16 samples (or little-endian bytes) at the agent's rate. Resolves once the audio
   * has been handed to Exotel (or dropped by `clear()` / the end of the stream).
   */
  send(pcm: Int16Array | Buffer, options: VoiceSendOptions = {}): Promise<void> {
    if (this.isClosed) return Promise.reject(new VoiceSessionClosedError('send audio'));
    return this.output.send(pcm, options.more ?? false);
  }

  /**
   * Places a mark after the audio sent so far. Resolves true when Exotel echoes it (everything
   * before it has played), false when it was cleared or the stream ended first.
   */
  mark(name: string): Promise<boolean> {
    if (this.isClosed) return Promise.resolve(false);
    return this.output.mark(name);
  }

  /** Barge-in: drops audio not sent yet here and tells Exotel to drop what it has not played. */
  clear(): void {
    if (this.isClosed) return;
    this.output.clear();
  }

  /** Ends the bot's part: closes the socket (Exotel ends the call, or moves to the next applet). */
  hangup(): void {
    this.close({ reason: 'bot_hangup', disconnectedBy: 'bot' }, 1000, 'bot hangup');
  }

  /**
   * Transfers the caller to a human at `number`: the target is stored against the CallSid (any
   * replica answers the Connect applet's dial-up request with it), then the socket closes so the
   * flow moves on to the Connect applet. Play a goodbye first and await its mark if wanted.
   */
  async transfer(number: string): Promise<void> {
    const to = toE164(number);
    if (!to) throw new TransferNumberInvalidError();
    if (this.isClosed) throw new VoiceSessionClosedError('transfer');
    await this.context.requestTransfer({
      callSid: this.callSid,
      streamSid: this.metadata.streamSid,
      to,
      requestedAt: this.context.now(),
    });
    this.close({ reason: 'transfer', disconnectedBy: 'bot' }, 1000, 'transfer');
  }

  // ---- Called by the gateway ----------------------------------------------------------------

  /** Caller audio from a `media` frame. */
  receiveAudio(payload: Buffer, chunk: number | null, timestamp: number | null, receivedAt: number): void {
    this.stats.framesReceived += 1;
    let samples = decodePayload(this.metadata.format, payload);
    if (this.inbound) samples = this.inbound.push(samples);
    this.inputs.push({
      type: 'audio',
      samples,
      sampleRate: this.metadata.sampleRate,
      chunk,
      timestamp,
      receivedAt,
    });
  }

  receiveDtmf(digit: string, durationMs: number | null, receivedAt: number): void {
    this.inputs.push({ type: 'dtmf', digit, durationMs, receivedAt });
  }

  /** Exotel echoed a mark. */
  receiveMark(name: string): void {
    this.output.markEchoed(name);
  }

  /** The stream is over (stop event, socket closed, or our own close); idempotent. */
  finish(end: VoiceSessionEnd): VoiceSessionEnd {
    if (this.ended) return this.ended;
    this.ended = this.closing ?? end;
    this.output.end();
    this.inputs.end();
    return this.ended;
  }

  /** Closes from our side, remembering why; the socket's close event finishes the session. */
  close(end: VoiceSessionEnd, code: number, reason: string): void {
    if (this.isClosed) return;
    this.closing = end;
    this.output.stop();
    this.context.socket.close(code, reason);
  }

  /** Ends once the queued audio has been sent (the agent's handler returned). */
  async closeAfterPlayback(end: VoiceSessionEnd): Promise<void> {
    if (this.isClosed) return;
    this.output.flush();
    await this.output.drained();
    this.close(end, 1000, end.reason);
  }

  private write(message: object): void {
    if (this.context.socket.readyState !== this.context.socket.OPEN) return;
    this.context.socket.send(JSON.stringify(message));
  }
}
