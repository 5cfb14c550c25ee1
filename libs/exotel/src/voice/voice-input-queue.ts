import type { VoiceInput } from './voice-session';

const MAX_BUFFERED_INPUTS = 3_000;

/**
 * The caller's side of a session, for the agent to iterate: inputs wait here until the agent reads
 * them, and a reader waits for the next input. Bounded: when the agent stops reading, the oldest
 * input is dropped (`overflowed` is told once), so the newest audio is kept and memory never grows
 * without bound.
 */
export class VoiceInputQueue implements AsyncIterable<VoiceInput> {
  private readonly inputs: VoiceInput[] = [];
  private readonly waiters: ((result: IteratorResult<VoiceInput>) => void)[] = [];
  private ended = false;
  private dropped = 0;

  constructor(private readonly overflowed: () => void) {}

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

  /** Hands an input to a waiting reader, or keeps it for the next read. */
  push(input: VoiceInput): void {
    const waiter = this.waiters.shift();
    if (waiter) return waiter({ value: input, done: false });
    if (this.inputs.length >= MAX_BUFFERED_INPUTS) {
      // The agent stopped reading: keep the newest audio, never grow without bound.
      this.inputs.shift();
      if (this.dropped++ === 0) this.overflowed();
    }
    this.inputs.push(input);
  }

  /** No more input: waiting readers, and readers once the kept inputs are read, are done. */
  end(): void {
    this.ended = true;
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
  }
}
