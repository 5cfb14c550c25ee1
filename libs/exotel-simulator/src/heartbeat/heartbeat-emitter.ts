import { newDelivery, type WebhookDelivery, type WebhookSender } from '../callbacks/webhook-delivery';
import type { ExoPhoneHealth } from '../exophones/exophone-health';
import type { SimExoPhone } from '../exophones/exophone-inventory';
import type { BoundedLog } from '../support/bounded-log';
import type { ChangeNotifier } from '../support/change-notifier';
import {
  buildHeartbeat,
  payloadTooLarge,
  type HeartbeatFormat,
  type HeartbeatPayload,
  type HeartbeatStatusType,
} from './heartbeat-payload';

/** Where and how often heartbeats go. */
export interface HeartbeatSettings extends HeartbeatFormat {
  /** The receiver, exactly as Exotel would be configured (it may carry `?key=`). */
  readonly url: string;
  /** Seconds between heartbeats (real time; Exotel counts minutes, the simulator allows seconds). */
  readonly intervalSeconds: number;
}

/** Per-emission overrides of `emitHeartbeatNow()`. */
export interface EmitOptions extends HeartbeatFormat {
  /** Send to this URL instead of the configured one. */
  readonly url?: string;
  /** Send PAYLOAD_TOO_LARGE whatever the payload size. */
  readonly payloadTooLarge?: boolean;
}

/** A heartbeat the simulator sent. */
export interface HeartbeatDelivery extends WebhookDelivery {
  readonly kind: 'heartbeat';
  readonly statusType: HeartbeatStatusType;
  readonly timestamp: string;
  /** The payload before encoding, for assertions. */
  readonly payload: HeartbeatPayload;
}

/**
 * Exotel's Heartbeat webhook: a JSON POST of the ExoPhones' health every interval, retried on
 * non-2xx. Above `maxPayloadBytes` (Exotel: 10 MB) it sends PAYLOAD_TOO_LARGE instead, as it does
 * when scripted to. Timestamps have whole seconds and always move forward, so two heartbeats in the
 * same second still differ (receivers dedupe retries on `timestamp`).
 */
export class HeartbeatEmitter {
  private settings?: HeartbeatSettings;
  private timer?: NodeJS.Timeout;
  private nextId = 1;
  private lastSecond = 0;
  private forcedTooLarge = 0;

  constructor(
    private readonly inventory: readonly SimExoPhone[],
    private readonly health: ExoPhoneHealth,
    private readonly sender: WebhookSender,
    private readonly log: BoundedLog<HeartbeatDelivery>,
    private readonly notifier: ChangeNotifier,
    private readonly maxPayloadBytes: number,
  ) {}

  /** Current settings, if heartbeats are on. */
  get current(): HeartbeatSettings | undefined {
    return this.settings;
  }

  /** Starts (or re-points) periodic heartbeats; `undefined` stops them. */
  configure(settings: HeartbeatSettings | undefined): void {
    this.stop();
    this.settings = settings;
    if (!settings) return;
    if (!(settings.intervalSeconds > 0)) throw new Error('intervalSeconds must be a positive number');
    this.timer = setInterval(() => void this.emit().catch(() => undefined), settings.intervalSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Sends a heartbeat now and counts the interval from now, when heartbeats are on: a receiver
   * learns the ExoPhones' health at once instead of one interval later (Exotel's minimum is a
   * minute). Delivery failures are recorded on the delivery, never thrown.
   */
  beginNow(): void {
    if (!this.settings) return;
    this.configure(this.settings);
    void this.emit().catch(() => undefined);
  }

  /** The next `times` heartbeats are PAYLOAD_TOO_LARGE. */
  scriptPayloadTooLarge(times = 1): void {
    this.forcedTooLarge += times;
  }

  /** Sends one heartbeat now; resolves once it is delivered or given up. */
  async emit(options: EmitOptions = {}): Promise<HeartbeatDelivery> {
    const url = options.url ?? this.settings?.url;
    if (!url)
      throw new Error('No heartbeat URL: call setHeartbeat({ url, intervalSeconds }) or pass { url }');
    const { payload, body } = this.compose(options);
    const delivery: HeartbeatDelivery = {
      id: this.nextId++,
      kind: 'heartbeat',
      statusType: payload.status_type,
      timestamp: payload.timestamp,
      payload,
      ...newDelivery(url, 'application/json', body),
    };
    this.log.push(delivery);
    this.notifier.notify();
    await this.sender.send(delivery, {});
    return delivery;
  }

  /**
   * The next heartbeat as it would be sent (its timestamp a second past the last one), without
   * sending it: for a receiver fed directly, as in a host's tests.
   */
  compose(options: Omit<EmitOptions, 'url'> = {}): { payload: HeartbeatPayload; body: string } {
    const format: HeartbeatFormat = {
      shape: options.shape ?? this.settings?.shape,
      emptyLists: options.emptyLists ?? this.settings?.emptyLists,
    };
    const at = this.nextTimestamp();
    this.health.touch(at);
    let forced = options.payloadTooLarge === true;
    if (!forced && this.forcedTooLarge > 0) {
      this.forcedTooLarge -= 1;
      forced = true;
    }
    let payload = forced
      ? payloadTooLarge(at, format)
      : buildHeartbeat(this.inventory, this.health, at, format);
    let body = JSON.stringify(payload);
    if (Buffer.byteLength(body) > this.maxPayloadBytes) {
      payload = payloadTooLarge(at, format);
      body = JSON.stringify(payload);
    }
    return { payload, body };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops and forgets the settings and scripts. */
  reset(): void {
    this.configure(undefined);
    this.forcedTooLarge = 0;
  }

  private nextTimestamp(): number {
    const second = Math.max(Math.floor(Date.now() / 1000), this.lastSecond + 1);
    this.lastSecond = second;
    return second * 1000;
  }
}
