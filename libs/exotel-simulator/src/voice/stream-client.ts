import { WebSocket } from 'ws';
import type { ChangeNotifier } from '../support/change-notifier';
import { opaqueSid, type SeededRandom } from '../support/random';
import { encodeSamples, silence, streamBytesPerSecond, toRate, type SimStreamEncoding } from './stream-audio';
import type { SimBotChunk, SimStreamEndedBy, SimStreamSession } from './stream-session';
import type { PcmClip } from './wav';

/** How a simulated stream behaves. */
export interface StreamScript {
  /** What the caller says: a clip (any rate; resampled to the stream's). @default the WAV fixture */
  readonly callerAudio?: PcmClip;
  /** Keep repeating the clip instead of following it with silence. @default false */
  readonly loopAudio?: boolean;
  /** Caller audio per media frame. @default 100 */
  readonly frameMs?: number;
  /** Payload encoding announced in `media_format` and used both ways. @default 'pcm16' */
  readonly encoding?: SimStreamEncoding;
  /** Keys the caller presses, at ms after the stream started (Voicebot only). */
  readonly dtmf?: readonly { readonly digit: string; readonly afterMs: number }[];
  /** The caller hangs up this long after the stream started. */
  readonly callerHangsUpAfterMs?: number;
  /** The applet ends the stream (`stop`, reason `stopped`) after this long. @default 3600000 (60 min) */
  readonly maxSessionMs?: number;
  /** Send numbers as JSON numbers rather than strings. @default false */
  readonly numericFields?: boolean;
  /** Echo marks dropped by a clear (Exotel: unconfirmed). @default false */
  readonly echoClearedMarks?: boolean;
}

/** Where a stream goes and for which call. */
export interface StreamTarget {
  readonly url: string;
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly bidirectional: boolean;
}

const CHUNK_MULTIPLE = 320;
const CHUNK_MIN = 3_200;
const CHUNK_MAX = 100_000;

/**
 * The Exotel side of a Voicebot / Stream WebSocket (section 6.4): `connected`, `start`, caller
 * audio in paced `media` frames, scripted `dtmf`, `stop`; and for the bot's messages a playback
 * queue at real-time rate that echoes marks when reached, drops unplayed audio on `clear`, and
 * records every chunk with its rule violations. Streams run in real time whatever the simulator's
 * speed (audio is real time).
 */
export class SimStreamClient {
  readonly session: SimStreamSession;
  private socket?: WebSocket;
  private readonly timers = new Set<NodeJS.Timeout>();
  private playheadEnd = 0;
  private readonly pendingMarks: { name: string; at: number; timer: NodeJS.Timeout }[] = [];
  private sequence = 0;
  private readonly audio: Buffer;
  private readonly frameBytes: number;
  private readonly frameMs: number;
  private done!: Promise<SimStreamSession>;
  private resolveDone!: (session: SimStreamSession) => void;

  constructor(
    private readonly target: StreamTarget,
    private readonly script: StreamScript,
    defaultAudio: () => PcmClip,
    random: SeededRandom,
    private readonly notifier: ChangeNotifier,
  ) {
    const url = new URL(target.url);
    const rate = Number(url.searchParams.get('sample-rate') ?? url.searchParams.get('sample_rate') ?? 8000);
    const sampleRate = [8000, 16000, 24000].includes(rate) ? rate : 8000;
    const custom: Record<string, string> = {};
    for (const [key, value] of url.searchParams) {
      if (key === 'sample-rate' || key === 'sample_rate' || Object.keys(custom).length >= 3) continue;
      custom[key] = value;
    }
    const encoding = script.encoding ?? 'pcm16';
    this.session = {
      streamSid: opaqueSid(random),
      callSid: target.callSid,
      url: `${url.protocol}//${url.host}${url.pathname}`,
      bidirectional: target.bidirectional,
      encoding,
      sampleRate,
      customParameters: custom,
      callerFrames: [],
      botChunks: [],
      violations: [],
      marksReceived: [],
      marksEchoed: [],
      clears: [],
      dtmfSent: [],
    };
    const clip = script.callerAudio ?? defaultAudio();
    this.audio = encodeSamples(encoding, toRate(clip.samples, clip.sampleRate, sampleRate));
    this.frameMs = script.frameMs ?? 100;
    this.frameBytes = Math.round((streamBytesPerSecond(encoding, sampleRate) * this.frameMs) / 1000);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Connects and runs the stream; resolves when it has ended (whoever ended it). */
  run(): Promise<SimStreamSession> {
    const url = new URL(this.target.url);
    const headers: Record<string, string> = {};
    if (url.username || url.password) {
      headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const socket = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
    this.socket = socket;
    socket.on('open', () => this.onOpen());
    socket.on('message', (data, isBinary) =>
      this.onMessage(isBinary ? null : Buffer.isBuffer(data) ? data.toString('utf8') : null),
    );
    socket.on('unexpected-response', (request, response) => {
      this.session.error = `handshake refused with HTTP ${response.statusCode}`;
      response.resume();
      request.destroy();
      this.finish('error');
    });
    socket.on('error', (error) => {
      this.session.error ??= error.message;
      this.finish('error');
    });
    socket.on('close', () => this.finish(this.session.endedBy ?? 'bot'));
    return this.done;
  }

  /** Drops the connection without a `stop` (the simulator is stopping). */
  abort(): void {
    this.session.endedBy ??= 'applet';
    this.socket?.terminate();
    this.finish('applet');
  }

  /** The caller presses a key now. */
  pressKey(digit: string): void {
    this.session.dtmfSent.push({ digit, at: performance.now() });
    this.send({
      event: 'dtmf',
      stream_sid: this.session.streamSid,
      sequence_number: this.seq(),
      dtmf: { digit, duration: this.num(100) },
    });
  }

  /** Ends the stream from Exotel's side: `callended` (caller hung up) or `stopped` (applet ended). */
  stop(reason: 'callended' | 'stopped'): void {
    if (!this.socket || this.session.endedBy) return;
    this.session.stopReason = reason;
    this.session.endedBy = reason === 'callended' ? 'caller' : 'applet';
    this.send({
      event: 'stop',
      stream_sid: this.session.streamSid,
      sequence_number: this.seq(),
      stop: { call_sid: this.target.callSid, account_sid: this.target.accountSid, reason },
    });
    this.socket.close(1000, reason);
  }

  private onOpen(): void {
    const session = this.session;
    session.openedAt = performance.now();
    this.send({ event: 'connected' });
    this.send({
      event: 'start',
      sequence_number: this.seq(),
      stream_sid: session.streamSid,
      start: {
        stream_sid: session.streamSid,
        call_sid: this.target.callSid,
        account_sid: this.target.accountSid,
        from: this.target.from,
        to: this.target.to,
        custom_parameters: session.customParameters,
        media_format: {
          encoding: session.encoding === 'pcm16' ? 'audio/x-raw' : 'audio/x-mulaw',
          sample_rate: this.num(session.sampleRate),
          bit_rate: session.encoding === 'pcm16' ? this.num(16) : this.num(8),
        },
      },
    });
    this.notifier.notify();
    this.sendFrame(0, session.openedAt);
    for (const press of this.target.bidirectional ? (this.script.dtmf ?? []) : [])
      this.after(press.afterMs, () => this.pressKey(press.digit));
    if (this.script.callerHangsUpAfterMs !== undefined)
      this.after(this.script.callerHangsUpAfterMs, () => this.stop('callended'));
    this.after(this.script.maxSessionMs ?? 3_600_000, () => this.stop('stopped'));
  }

  private sendFrame(index: number, startedAt: number): void {
    if (this.session.endedBy) return;
    const offset = index * this.frameBytes;
    let payload: Buffer;
    if (this.script.loopAudio && this.audio.length > 0) {
      payload = Buffer.alloc(this.frameBytes);
      for (let i = 0; i < this.frameBytes; i++) payload[i] = this.audio[(offset + i) % this.audio.length];
    } else if (offset < this.audio.length) {
      payload = Buffer.from(this.audio.subarray(offset, offset + this.frameBytes));
    } else {
      payload = silence(this.session.encoding, this.frameBytes);
    }
    const at = performance.now();
    this.session.callerFrames.push({ at, payload });
    this.send({
      event: 'media',
      sequence_number: this.seq(),
      stream_sid: this.session.streamSid,
      media: {
        chunk: this.num(index + 1),
        timestamp: this.num(index * this.frameMs),
        payload: payload.toString('base64'),
      },
    });
    // Absolute schedule: a late timer delays one frame, not every frame after it.
    const next = startedAt + (index + 1) * this.frameMs;
    this.after(Math.max(0, next - performance.now()), () => this.sendFrame(index + 1, startedAt));
  }

  private onMessage(text: string | null): void {
    const now = performance.now();
    if (text === null) return this.violation('binary message');
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return this.violation('message is not JSON');
    }
    if (!this.target.bidirectional)
      return this.violation(`${String(message.event)} on a unidirectional stream`);
    switch (message.event) {
      case 'media':
        return this.onMedia(message, now);
      case 'mark': {
        const name = (message.mark as { name?: unknown } | undefined)?.name;
        if (typeof name !== 'string') return this.violation('mark without a name');
        this.session.marksReceived.push({ name, at: now });
        const at = Math.max(now, this.playheadEnd);
        const entry = { name, at, timer: setTimeout(() => this.echoMark(entry), at - now) };
        this.timers.add(entry.timer);
        this.pendingMarks.push(entry);
        break;
      }
      case 'clear':
        this.onClear(now);
        break;
      default:
        this.violation(`unknown event ${JSON.stringify(message.event)}`);
    }
    this.notifier.notify();
  }

  private onMedia(message: Record<string, unknown>, now: number): void {
    const media = (message.media ?? {}) as { payload?: unknown };
    if (
      typeof media.payload !== 'string' ||
      !/^[A-Za-z0-9+/]*={0,2}$/.test(media.payload) ||
      media.payload.length % 4 !== 0
    ) {
      this.violation('media payload is not base64');
      this.session.botChunks.push({ at: now, bytes: 0, payload: Buffer.alloc(0), violation: 'not base64' });
      return;
    }
    const payload = Buffer.from(media.payload, 'base64');
    const violation = chunkViolation(payload.length);
    if (violation) this.violation(violation);
    const chunk: SimBotChunk = { at: now, bytes: payload.length, payload, violation };
    // Playback at real-time rate: starts when the previous chunk ends (or now, if idle).
    const start = Math.max(now, this.playheadEnd);
    this.playheadEnd =
      start + (payload.length * 1000) / streamBytesPerSecond(this.session.encoding, this.session.sampleRate);
    chunk.playedAt = start;
    this.session.botChunks.push(chunk);
  }

  private onClear(now: number): void {
    let droppedBytes = 0;
    for (const chunk of this.session.botChunks) {
      if (chunk.playedAt !== undefined && chunk.playedAt > now) {
        droppedBytes += chunk.bytes;
        chunk.playedAt = undefined;
      }
    }
    // The chunk playing now finishes; nothing after it.
    const playing = this.session.botChunks.filter((c) => c.playedAt !== undefined && c.playedAt <= now);
    const last = playing[playing.length - 1];
    this.playheadEnd = last
      ? Math.max(
          now,
          last.playedAt! +
            (last.bytes * 1000) / streamBytesPerSecond(this.session.encoding, this.session.sampleRate),
        )
      : now;
    const dropped = this.pendingMarks.splice(0);
    for (const mark of dropped) {
      clearTimeout(mark.timer);
      this.timers.delete(mark.timer);
      if (this.script.echoClearedMarks) this.echoMark(mark);
    }
    this.session.clears.push({ at: now, droppedBytes, droppedMarks: dropped.length });
  }

  private echoMark(entry: { name: string; at: number; timer: NodeJS.Timeout }): void {
    this.timers.delete(entry.timer);
    const index = this.pendingMarks.indexOf(entry);
    if (index >= 0) this.pendingMarks.splice(index, 1);
    this.session.marksEchoed.push({ name: entry.name, at: performance.now() });
    this.send({
      event: 'mark',
      sequence_number: this.seq(),
      stream_sid: this.session.streamSid,
      mark: { name: entry.name },
    });
    this.notifier.notify();
  }

  private violation(problem: string): void {
    this.session.violations.push(problem);
  }

  private finish(endedBy: SimStreamEndedBy): void {
    if (this.session.endedAt !== undefined) return;
    this.session.endedBy ??= endedBy;
    this.session.endedAt = performance.now();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.close(1000);
    this.notifier.notify();
    this.resolveDone(this.session);
  }

  private send(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private seq(): string | number {
    return this.num(++this.sequence);
  }

  private num(value: number): string | number {
    return this.script.numericFields ? value : String(value);
  }
}

/** Exotel's chunk rules for bot audio (support article 3000108630). */
export function chunkViolation(bytes: number): string | undefined {
  if (bytes % CHUNK_MULTIPLE !== 0) return `chunk of ${bytes} bytes is not a multiple of 320`;
  if (bytes < CHUNK_MIN) return `chunk of ${bytes} bytes is under 3,200`;
  if (bytes > CHUNK_MAX) return `chunk of ${bytes} bytes is over 100,000`;
  return undefined;
}
