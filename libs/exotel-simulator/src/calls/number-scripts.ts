import { numberKey } from '../support/phone-numbers';

/** What a dialled party does. */
export type CallOutcome = 'answer' | 'busy' | 'no-answer' | 'failed' | 'hangup';

/**
 * How the party at a number behaves when the simulator rings it. All times are simulated seconds
 * (see the simulator's `speed`).
 *
 * - `answer`: picks up after `ringSeconds`; hangs up `talkSeconds` after the conversation starts.
 * - `busy` / `failed`: the leg ends that way after `ringSeconds`.
 * - `no-answer`: rings until the call's `TimeOut`.
 * - `hangup`: picks up, then hangs up `hangupAfterSeconds` after answering (default 1): on `From`
 *   that is the caller hanging up while `To` still rings.
 */
export interface NumberScript {
  /** @default 'answer' */
  readonly outcome?: CallOutcome;
  /** Ring time before the outcome. @default 3 (busy 2, failed 1) */
  readonly ringSeconds?: number;
  /**
   * Seconds after the conversation starts when this party hangs up. When no party sets it, the
   * conversation lasts the simulator's `calls.defaultTalkSeconds` (30).
   */
  readonly talkSeconds?: number;
  /** Seconds after this party answered when it hangs up, whatever else happens. */
  readonly hangupAfterSeconds?: number;
  /** `AnsweredBy` reported for this leg. @default 'Human' */
  readonly answeredBy?: string;
  /** Use this script for the next `times` calls to the number only, then fall back. */
  readonly times?: number;
}

/**
 * Scripts per number: a standing script, plus one-off scripts (with `times`) that are used first.
 * Numbers match whatever their spelling (`+91…`, `0…`, 10 digits).
 */
export class NumberScripts {
  private readonly standing = new Map<string, NumberScript>();
  private readonly queued = new Map<string, { script: NumberScript; remaining: number }[]>();

  constructor(private fallback: NumberScript) {}

  set(number: string, script: NumberScript): void {
    const key = numberKey(number);
    if (script.times === undefined) {
      this.standing.set(key, script);
      return;
    }
    const queue = this.queued.get(key) ?? [];
    queue.push({ script, remaining: script.times });
    this.queued.set(key, queue);
  }

  /** The script for the next call to `number`, consuming a one-off use. */
  take(number: string): NumberScript {
    const key = numberKey(number);
    const queue = this.queued.get(key);
    if (queue && queue.length > 0) {
      const head = queue[0];
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      return head.script;
    }
    return this.standing.get(key) ?? this.fallback;
  }

  /** Forgets the scripts of one number, or of every number. */
  clear(number?: string): void {
    if (number === undefined) {
      this.standing.clear();
      this.queued.clear();
      return;
    }
    this.standing.delete(numberKey(number));
    this.queued.delete(numberKey(number));
  }

  setFallback(script: NumberScript): void {
    this.fallback = script;
  }
}
