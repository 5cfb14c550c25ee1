import { Logger } from '@nestjs/common';
import { logLine } from '../logging/log-line';

/** Timing of a delivery loop. */
export interface DeliveryLoopSettings {
  /** Idle poll interval. */
  readonly pollIntervalMs: number;
  /** Cap of the backoff after failures. */
  readonly maxBackoffMs: number;
}

const FIRST_BACKOFF_MS = 250;
/**
 * Longest wait between two idle passes. Idle passes double their wait from `pollIntervalMs` up to
 * this; a nudge (a local commit that wrote events) or a pass that delivered resets it. They only
 * find what no nudge announced: a claim that lapsed on a replica that died.
 */
const IDLE_POLL_MAX_MS = 2_000;

/**
 * Runs one delivery pass after another: at once while there is work, at a slowing pace when idle
 * (from `pollIntervalMs` up to two seconds), and with full-jitter exponential backoff after a
 * failure. A nudge (a commit that wrote events) starts the next pass early; passes never overlap.
 */
export class DeliveryLoop {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private active = false;
  private failures = 0;
  private idlePasses = 0;

  constructor(
    readonly name: string,
    private readonly pass: () => Promise<number>,
    private readonly settings: DeliveryLoopSettings,
  ) {
    this.logger = new Logger(`OutboxRelay:${name}`);
  }

  start(): void {
    this.active = true;
    this.nudge();
  }

  /** Stops scheduling passes and waits for the one in progress. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass soon (at once if idle and not backing off). */
  nudge(): void {
    if (!this.active) return;
    this.idlePasses = 0;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.failures > 0) return; // backing off; the scheduled retry will come
    this.run();
  }

  /** Runs passes until one delivers nothing; throws the first failure (for tests and shutdown). */
  async drain(): Promise<number> {
    await this.running;
    let total = 0;
    for (;;) {
      const delivered = await this.pass();
      total += delivered;
      if (delivered === 0) return total;
    }
  }

  private run(): void {
    clearTimeout(this.timer);
    this.running = this.pass()
      .then((delivered) => {
        if (this.failures > 0) this.logger.log(`Delivering again after ${this.failures} failed attempt(s)`);
        this.failures = 0;
        return delivered > 0;
      })
      .catch((error: unknown) => {
        this.failures++;
        this.logger.warn(
          logLine('Outbox delivery failed; events stay in the outbox and will be retried', {
            attempt: this.failures,
            err: error,
          }),
        );
        return false;
      })
      .then((more) => {
        this.running = undefined;
        if (!this.active) return;
        if (this.failures > 0) {
          this.schedule(this.backoff());
        } else if (more || this.again) {
          this.again = false;
          this.idlePasses = 0;
          this.run();
        } else {
          this.schedule(this.idleWait());
          this.idlePasses++;
        }
      });
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }

  private idleWait(): number {
    const { pollIntervalMs } = this.settings;
    return Math.min(
      Math.max(pollIntervalMs, IDLE_POLL_MAX_MS),
      pollIntervalMs * 2 ** Math.min(this.idlePasses, 16),
    );
  }

  private backoff(): number {
    const ceiling = Math.min(this.settings.maxBackoffMs, FIRST_BACKOFF_MS * 2 ** (this.failures - 1));
    return Math.max(FIRST_BACKOFF_MS / 2, Math.round(Math.random() * ceiling));
  }
}
