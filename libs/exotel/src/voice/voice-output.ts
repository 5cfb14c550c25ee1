import { chunkBytesFor, splitIntoChunks } from './codecs/chunk-rules';
import { LinearResampler, type VoiceSampleRate } from './codecs/linear-resampler';
import { pcm16FromBytes } from './codecs/pcm16';
import {
  bytesPerSecond,
  encodePayload,
  silenceByte,
  type StreamAudioFormat,
} from './codecs/stream-audio-format';
import { OutboundPacer } from './outbound-pacer';

/** What a session's output needs to know and where it writes. */
export interface VoiceOutputContext {
  /** The wire format. */
  readonly format: StreamAudioFormat;
  /** The rate of the PCM16 the agent sends. */
  readonly sampleRate: VoiceSampleRate;
  readonly streamSid: string;
  /** How much audio one `media` frame carries, in milliseconds (rounded to a chunk Exotel accepts). */
  readonly sendFrameMs: number;
  /** Sends one message on the stream's socket (dropped once it is closed). */
  readonly write: (message: object) => void;
  /** Counts the `media` frames sent. */
  readonly sent: () => void;
}

/**
 * The bot's side of a session: audio resampled, encoded, cut into chunks Exotel accepts and paced
 * in real time (`OutboundPacer`), marks placed after it and settled when Exotel echoes them, and
 * barge-in.
 */
export class VoiceOutput {
  private readonly pacer: OutboundPacer;
  private readonly resampler?: LinearResampler;
  private readonly chunkBytes: number;
  private readonly pendingMarks = new Map<string, ((echoed: boolean) => void)[]>();
  private remainder = Buffer.alloc(0);
  private sequence = 0;
  private audioSentMs = 0;

  constructor(private readonly context: VoiceOutputContext) {
    const { format, sampleRate } = context;
    if (sampleRate !== format.sampleRate) this.resampler = new LinearResampler(sampleRate, format.sampleRate);
    this.chunkBytes = chunkBytesFor(context.sendFrameMs, bytesPerSecond(format));
    const chunkMs = (this.chunkBytes * 1000) / bytesPerSecond(format);
    this.pacer = new OutboundPacer(
      {
        sendAudio: (chunk) => this.sendMedia(chunk),
        sendMark: (name) =>
          this.context.write({ event: 'mark', stream_sid: context.streamSid, mark: { name } }),
      },
      // Stay one chunk ahead of playback at most, as Exotel's own bridge does.
      Math.min(chunkMs, 200),
    );
  }

  /** Milliseconds of audio queued and not yet sent to Exotel. */
  get queuedMs(): number {
    return this.pacer.queuedMs;
  }

  /** See `VoiceSession.send`. */
  send(pcm: Int16Array | Buffer, more: boolean): Promise<void> {
    const { format } = this.context;
    let samples = pcm instanceof Int16Array ? pcm : pcm16FromBytes(pcm);
    if (this.resampler) samples = this.resampler.push(samples);
    const encoded = encodePayload(format, samples);
    const audio = this.remainder.length > 0 ? Buffer.concat([this.remainder, encoded]) : encoded;
    const { chunks, remainder } = splitIntoChunks(audio, this.chunkBytes, silenceByte(format), more);
    this.remainder = Buffer.from(remainder);
    if (chunks.length === 0) return Promise.resolve();
    const perByteMs = 1000 / bytesPerSecond(format);
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

  /** Sends the tail kept for more audio of the same utterance, padded with silence. */
  flush(): void {
    if (this.remainder.length > 0) void this.send(new Int16Array(0), false);
  }

  /** See `VoiceSession.mark`. */
  mark(name: string): Promise<boolean> {
    this.flush();
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

  /** Exotel echoed a mark: everything before it has played. */
  markEchoed(name: string): void {
    const list = this.pendingMarks.get(name);
    const settle = list?.shift();
    if (list && list.length === 0) this.pendingMarks.delete(name);
    settle?.(true);
  }

  /** Barge-in: drops audio not sent yet here and tells Exotel to drop what it has not played. */
  clear(): void {
    this.remainder = Buffer.alloc(0);
    this.pacer.clear();
    this.context.write({ event: 'clear', stream_sid: this.context.streamSid });
  }

  /** Resolves once the audio queued so far has been sent (or dropped). */
  drained(): Promise<void> {
    return new Promise<void>((resolve) => this.pacer.whenDrained(resolve));
  }

  /** Sends nothing more. */
  stop(): void {
    this.pacer.close();
  }

  /** The stream is over: sends nothing more, and marks not echoed yet never will be. */
  end(): void {
    this.pacer.close();
    for (const list of this.pendingMarks.values()) for (const settle of list) settle(false);
    this.pendingMarks.clear();
  }

  private sendMedia(chunk: Buffer): void {
    this.sequence += 1;
    this.context.sent();
    this.context.write({
      event: 'media',
      stream_sid: this.context.streamSid,
      sequence_number: String(this.sequence),
      media: {
        chunk: String(this.sequence),
        timestamp: String(Math.round(this.audioSentMs)),
        payload: chunk.toString('base64'),
      },
    });
    this.audioSentMs += (chunk.length * 1000) / bytesPerSecond(this.context.format);
  }
}
