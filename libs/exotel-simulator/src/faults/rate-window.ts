/**
 * A sliding-window request limit: at most `limit` accepted requests in any `windowMs`. It keeps
 * the times of the last `limit` accepted requests in a ring, so a check is O(1).
 */
export class RateWindow {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.times = new Float64Array(Math.max(1, limit));
  }

  /**
   * Takes one slot at `now`; returns 0 when accepted, else the milliseconds until a slot frees.
   */
  take(now: number): number {
    if (this.count < this.limit) {
      this.times[this.next] = now;
      this.next = (this.next + 1) % this.limit;
      this.count++;
      return 0;
    }
    const oldest = this.times[this.next];
    const wait = oldest + this.windowMs - now;
    if (wait > 0) return wait;
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit;
    return 0;
  }

  reset(): void {
    this.next = 0;
    this.count = 0;
  }
}
