/**
 * Simulated time for the call lifecycle and injected latency: `speed` simulated seconds pass per
 * real second, so a test can run a 30 s call in 30 ms (`speed: 1000`). Every timer it starts is
 * tracked so `cancelAll()` (on stop and reset) leaves nothing behind.
 */
export class SimClock {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private speedFactor: number) {}

  /** Simulated seconds per real second. */
  get speed(): number {
    return this.speedFactor;
  }

  set speed(value: number) {
    this.speedFactor = value;
  }

  /** Real milliseconds that `simulatedMs` take at the current speed. */
  realMs(simulatedMs: number): number {
    return simulatedMs / this.speedFactor;
  }

  /** Runs `fn` after `simulatedSeconds` of simulated time. */
  after(simulatedSeconds: number, fn: () => void): void {
    this.afterRealMs(this.realMs(simulatedSeconds * 1000), fn);
  }

  /** Runs `fn` after `ms` real milliseconds (tracked, not keeping the process alive). */
  afterRealMs(ms: number, fn: () => void): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timer.unref();
    this.timers.add(timer);
  }

  /** Cancels every pending timer. */
  cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
