import { Injectable } from '@nestjs/common';
import { IsNull, LessThan } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { CallEntity } from './call.entity';
import { lockCall, writeCall } from './call-locks';

/**
 * Calls whose Calls/connect answer was never recorded (the process stopped mid-request), long after
 * any attempt could last: each is marked settled, its outcome still `unknown`, with
 * `call.outcome_unknown`, for the reconciliation to look up.
 */
@Injectable()
export class AbandonedCalls {
  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    @InjectExotelOptions('timeouts') private readonly timeouts: ResolvedExotelOptions['timeouts'],
    @InjectExotelOptions('rateLimit') private readonly rateLimit: ResolvedExotelOptions['rateLimit'],
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
  ) {}

  /** One batch; returns how many calls it marked. */
  async mark(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.staleMs());
    const stale = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: { origin: 'api', settledAt: IsNull(), requestedAt: LessThan(before) },
        take: this.calls.reconcile.batchSize,
      }),
    );
    let marked = 0;
    for (const { id } of stale) {
      marked += await this.db.transaction(async (manager) => {
        const call = await lockCall(manager, this.db.dialect, { id });
        if (!call || call.settledAt) return 0;
        const now = this.clock.now();
        call.settledAt = now;
        call.updatedAt = now;
        call.outcomeReason = 'the process stopped before Exotel answered; the call may have been placed';
        if (call.status === 'requested') call.status = 'unknown';
        await writeCall(manager, call);
        await this.events.publish(manager, {
          type: 'call.outcome_unknown',
          subject: call.id,
          time: now,
          data: { callId: call.id, reason: call.outcomeReason },
        });
        return 1;
      });
    }
    return marked;
  }

  /** How long every attempt of one call may take, with a margin. */
  private staleMs(): number {
    const { timeouts, calls, rateLimit } = this;
    const attempts = calls.rateLimitRetries.maxAttempts + calls.notSentRetries.maxAttempts;
    // Each attempt may first wait for the client's rate budget, then connect and wait for the answer.
    return (
      (rateLimit.maxWaitMs + timeouts.connectMs + timeouts.requestMs) * attempts +
      calls.rateLimitRetries.maxWaitMs +
      60_000
    );
  }
}
