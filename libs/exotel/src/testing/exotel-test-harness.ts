import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  Faults,
  type CallOutcome,
  type ConnectivityStatus,
  type ExotelSimulator,
  type NumberScript,
} from 'exotel-simulator';
import { CALL_RECONCILE_JOB } from '../calls/call-reconciler';
import { CallsService } from '../calls/calls.service';
import type { ExotelEventOf, ExotelEventType } from '../events/event-catalogue';
import type { ExotelEvent } from '../events/exotel-event';
import { OnExotelEvent } from '../events/on-exotel-event.decorator';
import { OutboxRelay } from '../events/outbox-relay';
import { ExoPhoneInventory } from '../exophones/exophone-inventory';
import { HeartbeatIngestion } from '../heartbeat/heartbeat-ingestion.service';
import { parseHeartbeat } from '../heartbeat/heartbeat-payload';
import { ExotelScheduler } from '../jobs/exotel-scheduler';
import { EXOTEL_TEST_SIMULATOR } from './exotel-testing.options';

/** An ExoPhone's health for `ExotelTestHarness.heartbeat()`: both directions, or each. */
export type TestExoPhoneHealth =
  ConnectivityStatus | { readonly incoming?: ConnectivityStatus; readonly outgoing?: ConnectivityStatus };

/** Thrown by `waitForEvent` when no matching event came in time. */
export class ExotelTestTimeoutError extends Error {
  constructor(what: string, timeoutMs: number) {
    super(`No ${what} within ${timeoutMs} ms`);
    this.name = 'ExotelTestTimeoutError';
  }
}

/**
 * What a host's test drives `ExotelModule` with, from `ExotelTestingModule`: the events it
 * published (delivered in-process first, so they are the events your handlers saw), the
 * simulator's scripts for the numbers you call, heartbeats with the health you choose, and the
 * module's jobs, which run only when you ask.
 *
 * ```ts
 * const exotel = moduleRef.get(ExotelTestHarness);
 * exotel.scriptCall('+919812345678', 'busy');
 * await moduleRef.get(Reminders).remind('+919812345678');
 * expect(await exotel.events('call.initiated')).toHaveLength(1);
 * ```
 */
@Injectable()
export class ExotelTestHarness implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly captured: ExotelEvent[] = [];

  constructor(
    /** The in-process simulator standing in for Exotel (its full API: faults, health, requests). */
    @Inject(EXOTEL_TEST_SIMULATOR) readonly simulator: ExotelSimulator,
    private readonly relay: OutboxRelay,
    private readonly scheduler: ExotelScheduler,
    private readonly inventory: ExoPhoneInventory,
    private readonly ingestion: HeartbeatIngestion,
    private readonly calls: CallsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Jobs are off; failover and caller-id checks need the ExoPhone inventory once.
    await this.inventory.sync();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.simulator.stop();
  }

  /** @internal Captures every event as in-process handlers see it. */
  @OnExotelEvent('*')
  capture(event: ExotelEvent): void {
    this.captured.push(event);
  }

  /**
   * The events published so far, oldest first, of `type` if given: calls placed with `wait: false`
   * are awaited and the outbox is delivered first, so every `@OnExotelEvent()` handler has run.
   */
  async events<T extends ExotelEventType>(type: T): Promise<ExotelEventOf<T>[]>;
  async events(): Promise<ExotelEvent[]>;
  async events(type?: ExotelEventType): Promise<ExotelEvent[]> {
    await this.calls.whenIdle();
    await this.relay.drain();
    return this.captured.filter((event) => type === undefined || event.type === type);
  }

  /**
   * Resolves with the first event of `type` (matching `predicate`) published so far or within
   * `timeoutMs`. Calls keep changing state as the simulator plays them (`call.completed` comes after
   * the simulated talk time); with no HTTP server in a test, status callbacks cannot reach the
   * module, so while it waits for a `call.*` event this runs the reconciliation job, which settles
   * ended calls from Exotel's call details as it does in production when callbacks are lost.
   */
  async waitForEvent<T extends ExotelEventType>(
    type: T,
    predicate: (event: ExotelEventOf<T>) => boolean = () => true,
    { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
  ): Promise<ExotelEventOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.events(type)).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new ExotelTestTimeoutError(`${type} event`, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (type.startsWith('call.')) await this.scheduler.runNow(CALL_RECONCILE_JOB);
    }
  }

  /** Forgets the events captured so far. */
  clearEvents(): void {
    this.captured.length = 0;
  }

  /**
   * How the party at `number` behaves when called: `'answer'`, `'busy'`, `'no-answer'`, `'failed'`,
   * `'hangup'`, or a full script (ring and talk seconds, `times` for the next calls only).
   */
  scriptCall(number: string, behaviour: CallOutcome | NumberScript): void {
    this.simulator.scriptNumber(number, typeof behaviour === 'string' ? { outcome: behaviour } : behaviour);
  }

  /**
   * The next Calls/connect is placed by Exotel but its answer never comes: the call is recorded
   * `unknown` (never re-sent) and settled by the reconciliation job (`runJob('exotel.calls.reconcile')`).
   */
  timeoutAfterSend(): void {
    this.simulator.injectFaults({ fault: Faults.hangAfterPlacing() });
  }

  /** The next Calls/connect is answered with `status` (e.g. 503, 429, 403) and no call is placed. */
  failNextConnect(status: number): void {
    this.simulator.injectFaults({ fault: { status } });
  }

  /**
   * Sets the health of the given ExoPhones (by SID or number) in the simulator and feeds the
   * heartbeat Exotel would then send straight to the module, applied before this resolves: health
   * changes, failover and incidents follow as in production.
   */
  async heartbeat(health: Readonly<Record<string, TestExoPhoneHealth>>): Promise<void> {
    for (const [key, wanted] of Object.entries(health)) {
      const phone = this.simulator.exoPhones().find((p) => p.sid === key || p.phoneNumber === key);
      if (!phone) throw new Error(`No simulated ExoPhone ${key}; see callerIds()`);
      const byDirection = typeof wanted === 'string' ? { incoming: wanted, outgoing: wanted } : wanted;
      for (const direction of ['incoming', 'outgoing'] as const) {
        const status = byDirection[direction];
        if (status) this.simulator.setHealth(phone.sid, direction, status);
      }
    }
    const { payload, body } = this.simulator.composeHeartbeat();
    await this.ingestion.record(parseHeartbeat(payload), body);
    await this.ingestion.applyPending();
  }

  /** The simulated ExoPhone numbers, usable as caller ids. */
  callerIds(): string[] {
    return this.simulator.exoPhones().map((phone) => phone.phoneNumber);
  }

  /**
   * Runs one of the module's jobs now and resolves when it finished (to false when another run
   * held it). Names: `exotel.calls.reconcile`, `exotel.heartbeat.apply`, and the others listed by
   * `ExotelScheduler.names()`.
   */
  runJob(name: string): Promise<boolean> {
    return this.scheduler.runNow(name);
  }
}
