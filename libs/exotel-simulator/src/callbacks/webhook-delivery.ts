import type { ChangeNotifier } from '../support/change-notifier';
import { HttpPoster } from './http-post';

/** One try at delivering a webhook. */
export interface DeliveryAttempt {
  readonly attempt: number;
  /** When it was sent (epoch ms). */
  readonly at: number;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  /** Why there was no status (timeout, refused connection…). */
  readonly error?: string;
  readonly durationMs: number;
}

/** A webhook the simulator sent (or is sending), with every attempt. */
export interface WebhookDelivery {
  readonly id: number;
  /** The URL exactly as configured (it may carry a `?key=` secret: do not log it). */
  readonly url: string;
  readonly contentType: string;
  /** The body as sent. */
  readonly body: string;
  readonly startedAt: number;
  readonly attempts: DeliveryAttempt[];
  /** True once delivered or given up. */
  done: boolean;
  /** True when an attempt got a 2xx. */
  ok: boolean;
}

/** The fields every new delivery starts with. */
export function newDelivery(url: string, contentType: string, body: string): Omit<WebhookDelivery, 'id'> {
  return { url, contentType, body, startedAt: Date.now(), attempts: [], done: false, ok: false };
}

/** Exotel's webhook delivery policy (NEW docs: 15 s, up to 2 retries on non-2xx or timeout). */
export interface DeliveryPolicy {
  /** Time allowed for the receiver to answer one attempt (real ms). @default 15000 */
  readonly timeoutMs: number;
  /** Retries after the first attempt. @default 2 */
  readonly retries: number;
  /** Pause before each retry (real ms). @default 1000 */
  readonly retryDelayMs: number;
}

/**
 * Sends webhooks with Exotel's timeout and retry policy and records every attempt on the delivery
 * object, waking `waitFor` after each one.
 */
export class WebhookSender {
  private readonly poster = new HttpPoster();
  private abort = new AbortController();

  constructor(
    private readonly policy: DeliveryPolicy,
    private readonly notifier: ChangeNotifier,
  ) {}

  /** Delivers `delivery`; resolves when it is done (delivered, given up or the simulator stopped). */
  async send(delivery: WebhookDelivery, headers: Record<string, string>): Promise<void> {
    const signal = this.abort.signal;
    for (let attempt = 1; attempt <= this.policy.retries + 1 && !signal.aborted; attempt++) {
      const at = Date.now();
      const result = await this.poster.post(
        delivery.url,
        delivery.body,
        { ...headers, 'Content-Type': delivery.contentType },
        this.policy.timeoutMs,
        signal,
      );
      delivery.attempts.push({ attempt, at, ...result, durationMs: Date.now() - at });
      if (result.status !== undefined && result.status >= 200 && result.status < 300) {
        delivery.ok = true;
        break;
      }
      this.notifier.notify();
      if (attempt <= this.policy.retries) await pause(this.policy.retryDelayMs, signal);
    }
    delivery.done = true;
    this.notifier.notify();
  }

  /** Abandons deliveries in flight (pending ones finish as not delivered). */
  cancelAll(): void {
    this.abort.abort();
    this.abort = new AbortController();
  }

  close(): void {
    this.cancelAll();
    this.poster.close();
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    timer.unref();
    signal.addEventListener('abort', finish, { once: true });
    function finish(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    }
  });
}
