import type { Logger } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { logLine } from '../logging/log-line';
import { toE164 } from '../phone/phone-number';
import { chunkBytesFor, splitIntoChunks } from './codecs/chunk-rules';
import { LinearResampler, type VoiceSampleRate } from './codecs/linear-resampler';
import { pcm16FromBytes } from './codecs/pcm16';
import {
  bytesPerSecond,
  decodePayload,
  encodePayload,
  silenceByte,
  type StreamAudioFormat,
} from './codecs/stream-audio-format';
import { OutboundPacer } from './outbound-pacer';
import type { StreamDisconnectedBy, TransferRequest } from './voice-call-records';
import { TransferNumberInvalidError, VoiceSessionClosedError } from './voice.errors';

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

const MAX_BUFFERED_INPUTS = 3_000;

/**
 * One call's bot stream, for the agent: an async iterator of the caller's audio (decoded PCM16)
 * and DTMF; `send()` to speak (resampled, encoded, cut into chunks Exotel accepts and paced in
 * real time); `mark()` to learn when audio has played; `clear()` for barge-in; `hangup()` and
 * `transfer()` to end the bot's part of the call. Bound to one CallSid for its whole life.
 */
export class VoiceSession implements AsyncIterable<VoiceInput> {
  private readonly inputs: VoiceInput[] = [];
  private readonly waiters: ((result: IteratorResult<VoiceInput>) => void)[] = [];
  private readonly pacer: OutboundPacer;
  private readonly inbound?: LinearResampler;
  private readonly outbound?: LinearResampler;
  private readonly chunkBytes: number;
  private readonly chunkMs: number;
  private readonly pendingMarks = new Map<string, ((echoed: boolean) => void)[]>();
  private remainder = Buffer.alloc(0);
  private sequence = 0;
  private audioSentMs = 0;
  private ended?: VoiceSessionEnd;
  private closing?: VoiceSessionEnd;
  private droppedInputs = 0;
  /** Counters for the stop record. */
  readonly stats = { framesReceived: 0, chunksSent: 0, malformedFrames: 0 };

  constructor(private readonly context: VoiceSessionContext) {
    const { format, sampleRate } = context.metadata;
    if (sampleRate !== format.sampleRate) {
      this.inbound = new LinearResampler(format.sampleRate, sampleRate);
      this.outbound = new LinearResampler(sampleRate, format.sampleRate);
    }
    this.chunkBytes = chunkBytesFor(context.sendFrameMs, bytesPerSecond(format));
    this.chunkMs = (this.chunkBytes * 1000) / bytesPerSecond(format);
    this.pacer = new OutboundPacer(
      {
        sendAudio: (chunk) => this.sendMedia(chunk),
        sendMark: (name) =>
          this.write({ event: 'mark', stream_sid: this.metadata.streamSid, mark: { name } }),
      },
      // Stay one chunk ahead of playback at most, as Exotel's own bridge does.
      Math.min(this.chunkMs, 200),
    );
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
    return this.pacer.queuedMs;
  }

  /** How the session ended, once it has. */
  get end(): VoiceSessionEnd | undefined {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<VoiceInput> {
    return {
      next: () => {
        const input = this.inputs.shift();
        if (input) return Promise.resolve({ value: input, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => this.waiters.push(resolve));
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }

  /**
   * Speaks: PCM16 samples (or little-endian bytes) at the agent's rate. Resolves once the audio
   * has been handed to Exotel (or dropped by `clear()` / the end of the stream).
   */
  send(pcm: Int16Array | Buffer, options: VoiceSendOptions = {}): Promise<void> {
    if (this.isClosed) return Promise.reject(new VoiceSessionClosedError('send audio'));
    let samples = pcm instanceof Int16Array ? pcm : pcm16FromBytes(pcm);
    if (this.outbound) samples = this.outbound.push(samples);
    const encoded = encodePayload(this.metadata.format, samples);
    const audio = this.remainder.length > 0 ? Buffer.concat([this.remainder, encoded]) : encoded;
    const { chunks, remainder } = splitIntoChunks(
      audio,
      this.chunkBytes,
      silenceByte(this.metadata.format),
      options.more ?? false,
    );
    this.remainder = Buffer.from(remainder);
    if (chunks.length === 0) return Promise.resolve();
    const perByteMs = 1000 / bytesPerSecond(this.metadata.format);
    return new Promise((resolve) => {
      chunks.forEach((chunk, index) =>
        this.pacer.enqueueAudio(
          chunk,
          chunk.length * perByteMs,
          index === chunks.length - 1 ? resolve : undefined,
        ),
      );
    });
  }

  /**
   * Places a mark after the audio sent so far. Resolves true when Exotel echoes it (everything
   * before it has played), false when it was cleared or the stream ended first.
   */
  mark(name: string): Promise<boolean> {
    if (this.isClosed) return Promise.resolve(false);
    if (this.remainder.length > 0) void this.send(new Int16Array(0));
    return new Promise((resolve) => {
      let settled = false;
      const settle = (echoed: boolean): void => {
        if (settled) return;
        settled = true;
        resolve(echoed);
      };
      this.pacer.enqueueMark(
        name,
        () => {
          const list = this.pendingMarks.get(name) ?? [];
          list.push(settle);
          this.pendingMarks.set(name, list);
        },
        () => settle(false),
      );
    });
  }

  /** Barge-in: drops audio not sent yet here and tells Exotel to drop what it has not played. */
  clear(): void {
    if (this.isClosed) return;
    this.remainder = Buffer.alloc(0);
    this.pacer.clear();
    this.write({ event: 'clear', stream_sid: this.metadata.streamSid });
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
    this.push({ type: 'audio', samples, sampleRate: this.metadata.sampleRate, chunk, timestamp, receivedAt });
  }

  receiveDtmf(digit: string, durationMs: number | null, receivedAt: number): void {
    this.push({ type: 'dtmf', digit, durationMs, receivedAt });
  }

  /** Exotel echoed a mark. */
  receiveMark(name: string): void {
    const list = this.pendingMarks.get(name);
    const settle = list?.shift();
    if (list && list.length === 0) this.pendingMarks.delete(name);
    settle?.(true);
  }

  /** The stream is over (stop event, socket closed, or our own close); idempotent. */
  finish(end: VoiceSessionEnd): VoiceSessionEnd {
    if (this.ended) return this.ended;
    this.ended = this.closing ?? end;
    this.pacer.close();
    for (const list of this.pendingMarks.values()) for (const settle of list) settle(false);
    this.pendingMarks.clear();
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
    return this.ended;
  }

  /** Closes from our side, remembering why; the socket's close event finishes the session. */
  close(end: VoiceSessionEnd, code: number, reason: string): void {
    if (this.isClosed) return;
    this.closing = end;
    this.pacer.close();
    this.context.socket.close(code, reason);
  }

  /** Ends once the queued audio has been sent (the agent's handler returned). */
  async closeAfterPlayback(end: VoiceSessionEnd): Promise<void> {
    if (this.isClosed) return;
    if (this.remainder.length > 0) void this.send(new Int16Array(0));
    await new Promise<void>((resolve) => this.pacer.whenDrained(resolve));
    this.close(end, 1000, end.reason);
  }

  private push(input: VoiceInput): void {
    const waiter = this.waiters.shift();
    if (waiter) return waiter({ value: input, done: false });
    if (this.inputs.length >= MAX_BUFFERED_INPUTS) {
      // The agent stopped reading: keep the newest audio, never grow without bound.
      this.inputs.shift();
      if (this.droppedInputs++ === 0)
        this.context.logger.warn(
          logLine('Voice agent is not reading its session; dropping the oldest input', {
            callSid: this.callSid,
          }),
        );
    }
    this.inputs.push(input);
  }

  private sendMedia(chunk: Buffer): void {
    this.sequence += 1;
    this.stats.chunksSent += 1;
    this.write({
      event: 'media',
      stream_sid: this.metadata.streamSid,
      sequence_number: String(this.sequence),
      media: {
        chunk: String(this.sequence),
        timestamp: String(Math.round(this.audioSentMs)),
        payload: chunk.toString('base64'),
      },
    });
    this.audioSentMs += (chunk.length * 1000) / bytesPerSecond(this.metadata.format);
  }

  private write(message: object): void {
    if (this.context.socket.readyState !== this.context.socket.OPEN) return;
    this.context.socket.send(JSON.stringify(message));
  }
}
