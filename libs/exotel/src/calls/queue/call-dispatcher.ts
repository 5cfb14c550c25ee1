import { Injectable, Logger } from '@nestjs/common';
import { ExotelRateBudget } from '../../client/exotel-rate-budget';
import { ExotelBudgetUnavailableError } from '../../errors/exotel-budget-unavailable.error';
import { ExotelRateLimitError } from '../../errors/exotel-rate-limit.error';
import { NoHealthyCallerIdError } from '../../exophones/exophone.errors';
import { ExoPhoneHealthService } from '../../exophones/exophone-health.service';
import { ExotelClock } from '../../jobs/exotel-clock';
import { ExotelJob } from '../../jobs/exotel-job.decorator';
import { logLine } from '../../logging/log-line';
import type { ResolvedExotelOptions } from '../../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../../options/inject-exotel-options.decorator';
import {
  CallRequestError,
  IdempotencyKeyReusedError,
  PromotionalCallOutsideHoursError,
} from '../call.errors';
import { prepareCall } from '../call-request';
import { CallsService } from '../calls.service';
import { promotionalHoursClosed } from '../trai-hours';
import { CallQueue, type NotPlaced } from './call-queue';
import type { QueuedCallEntity } from './queued-call.entity';

/** The dispatcher's job (every replica runs it; claims keep them apart). */
export const CALL_DISPATCH_JOB = 'exotel.calls.dispatch';

/**
 * Places queued calls: each replica claims up to `calls.queue.concurrency` due calls at a time,
 * waits for room in the shared voice budget for each, and places it through `CallsService.place`
 * under its idempotency key, so a call whose claim is retaken after a crash is found, not dialled
 * again. A promotional call due outside TRAI hours waits for 09:00 IST; a call whose caller id has
 * no healthy ExoPhone waits `callerIdRetryMs` at a time, up to `callerIdWaitMs`, then fails.
 */
@Injectable()
export class CallDispatcher {
  private readonly logger = new Logger(CallDispatcher.name);

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    @InjectExotelOptions('applets') private readonly applets: ResolvedExotelOptions['applets'],
    @InjectExotelOptions('credentials') private readonly credentials: ResolvedExotelOptions['credentials'],
    private readonly queue: CallQueue,
    private readonly service: CallsService,
    private readonly health: ExoPhoneHealthService,
    private readonly budget: ExotelRateBudget,
    private readonly clock: ExotelClock,
  ) {}

  /** Places due calls until none is left or the pass is abandoned; resolves to how many were placed. */
  @ExotelJob({
    name: CALL_DISPATCH_JOB,
    intervalMs: (o) => o.calls.queue.pollMs,
    singleton: false,
    // Stops claiming at shutdown (the pass is abandoned; claims it holds are retaken by another replica).
    signal: true,
  })
  async dispatch(signal?: AbortSignal): Promise<number> {
    let placed = 0;
    while (!signal?.aborted) {
      const claimed = await this.queue.claim(this.calls.queue.concurrency);
      if (claimed.length === 0) return placed;
      const results = await Promise.all(claimed.map((queued) => this.placeOne(queued, signal)));
      placed += results.filter(Boolean).length;
    }
    return placed;
  }

  private async placeOne(queued: QueuedCallEntity, signal?: AbortSignal): Promise<boolean> {
    try {
      const outcome = await this.tryPlace(queued, signal);
      if (typeof outcome === 'string') {
        await this.queue.placed(queued, outcome);
        return true;
      }
      await this.queue.notPlaced(queued, outcome ?? this.retrySoon('its pass was abandoned'));
    } catch (error) {
      this.logger.warn(
        logLine('A queued call could not be dispatched', { queuedCallId: queued.id, err: error }),
      );
      // Let it go at once (another pass, here or on another replica, tries again); if even that
      // fails, the claim lapses after calls.queue.claimMs.
      await this.queue.notPlaced(queued, this.retrySoon('dispatching failed')).catch(() => undefined);
    }
    return false;
  }

  /** Released for the next pass, a poll interval from now. */
  private retrySoon(reason: string): NotPlaced {
    return {
      kind: 'postponed',
      until: new Date(this.clock.now().getTime() + this.calls.queue.pollMs),
      reason,
    };
  }

  /** The placed call's id, what became of the call instead, or null when its pass was abandoned. */
  private async tryPlace(queued: QueuedCallEntity, signal?: AbortSignal): Promise<string | NotPlaced | null> {
    const now = this.clock.now();
    const { calls, applets, credentials } = this;
    let prepared;
    try {
      prepared = prepareCall(queued.input, { calls, applets, credentials }, null);
    } catch (error) {
      if (error instanceof CallRequestError) return { kind: 'failed', reason: error.message };
      throw error;
    }
    if (prepared.purpose === 'promotional') {
      const closed = promotionalHoursClosed(now);
      if (closed)
        return { kind: 'postponed', until: closed.opensAt, reason: 'waiting for TRAI hours (09:00 IST)' };
    }
    try {
      await this.health.pickCallerId(prepared.callerIdRef, 'outgoing');
    } catch (error) {
      if (error instanceof NoHealthyCallerIdError) return this.blocked(queued, now, error.message);
      throw error;
    }
    if (signal?.aborted) return null;
    try {
      // Room for its Calls/connect, waited for as long as half the claim (then the claim is let go).
      await this.budget.take('voice', 'POST', 'Calls/connect (queued)', this.calls.queue.claimMs / 2);
    } catch (error) {
      if (error instanceof ExotelRateLimitError)
        return { kind: 'postponed', until: this.clock.now(), reason: 'waiting for room in the voice budget' };
      if (error instanceof ExotelBudgetUnavailableError) return null;
      throw error;
    }
    try {
      const { call } = await this.service.place(
        queued.input,
        { idempotencyKey: queued.idempotencyKey, wait: false },
        true,
      );
      return call.id;
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError || error instanceof CallRequestError)
        return { kind: 'failed', reason: error.message };
      if (error instanceof NoHealthyCallerIdError) return this.blocked(queued, now, error.message);
      if (error instanceof PromotionalCallOutsideHoursError)
        return {
          kind: 'postponed',
          until: promotionalHoursClosed(this.clock.now())?.opensAt ?? now,
          reason: error.message,
        };
      throw error;
    }
  }

  /** No healthy caller id: try again later, or fail once it waited `callerIdWaitMs`. */
  private blocked(queued: QueuedCallEntity, now: Date, reason: string): NotPlaced {
    const since = queued.blockedSince ?? now;
    if (now.getTime() - since.getTime() >= this.calls.queue.callerIdWaitMs)
      return {
        kind: 'failed',
        reason: `no healthy caller id for ${this.calls.queue.callerIdWaitMs / 60_000} min: ${reason}`,
      };
    return {
      kind: 'postponed',
      until: new Date(now.getTime() + this.calls.queue.callerIdRetryMs),
      reason,
      blocked: true,
    };
  }
}
