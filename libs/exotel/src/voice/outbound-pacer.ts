/** Something the pacer sends, in order: a chunk of audio or a mark. */
type Item =
  | {
      readonly kind: 'audio';
      readonly chunk: Buffer;
      readonly durationMs: number;
      readonly done?: () => void;
    }
  | { readonly kind: 'mark'; readonly name: string; readonly sent: () => void; readonly dropped: () => void }
  | { readonly kind: 'barrier'; readonly reached: () => void };

/** Where the pacer's output goes. */
export interface PacerSink {
  sendAudio(chunk: Buffer): void;
  sendMark(name: string): void;
}

/**
 * Sends a session's audio to Exotel in real time: chunk `i` of a continuous run leaves at
 * `start + i * chunkDuration - lead`, so Exotel's buffer stays `lead` ahead and never fills with
 * a whole utterance (Exotel's own bridge warns that dumping a greeting at once ends calls). The
 * schedule is absolute: a late timer delays one chunk, never the rest. Marks leave right after
 * the audio queued before them.
 */
export class OutboundPacer {
  private readonly queue: Item[] = [];
  /** When the next chunk is due (performance.now() ms); a run starts when the queue was idle. */
  private nextAt = 0;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly sink: PacerSink,
    private readonly leadMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds of audio queued and not yet sent. */
  get queuedMs(): number {
    return this.queue.reduce((sum, item) => sum + (item.kind === 'audio' ? item.durationMs : 0), 0);
  }

  enqueueAudio(chunk: Buffer, durationMs: number, done?: () => void): void {
    if (this.closed) return done?.();
    this.queue.push({ kind: 'audio', chunk, durationMs, done });
    this.pump();
  }

  enqueueMark(name: string, sent: () => void, dropped: () => void): void {
    if (this.closed) return dropped();
    this.queue.push({ kind: 'mark', name, sent, dropped });
    this.pump();
  }

  /** Calls `reached` once everything queued before it has been sent (or dropped). */
  whenDrained(reached: () => void): void {
    if (this.closed || this.queue.length === 0) return reached();
    this.queue.push({ kind: 'barrier', reached });
    this.pump();
  }

  /** Drops everything not sent yet (barge-in); the next audio starts a new run at once. */
  clear(): void {
    const dropped = this.queue.splice(0);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.nextAt = 0;
    for (const item of dropped) {
      if (item.kind === 'mark') item.dropped();
      else if (item.kind === 'barrier') item.reached();
      else item.done?.();
    }
  }

  /** Stops for good, dropping what is queued. */
  close(): void {
    this.closed = true;
    this.clear();
  }

  private pump(): void {
    if (this.timer || this.closed) return;
    for (;;) {
      const item = this.queue[0];
      if (!item) return;
      if (item.kind === 'mark') {
        this.queue.shift();
        this.sink.sendMark(item.name);
        item.sent();
        continue;
      }
      if (item.kind === 'barrier') {
        this.queue.shift();
        item.reached();
        continue;
      }
      const now = this.now();
      // Idle long enough that Exotel's buffer ran dry: start a new run now.
      if (this.nextAt < now - this.leadMs) this.nextAt = now;
      const due = this.nextAt - this.leadMs;
      if (due > now) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, due - now);
        return;
      }
      this.queue.shift();
      this.sink.sendAudio(item.chunk);
      this.nextAt += item.durationMs;
      item.done?.();
    }
  }
}
