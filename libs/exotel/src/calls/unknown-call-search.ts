import { Injectable, Logger } from '@nestjs/common';
import { IsNull, Not } from 'typeorm';
import { ExotelClient } from '../client/exotel-client';
import type { ExotelCall } from '../client/exotel-api.types';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { completeFromDetails } from './call-completion';
import { applyDetails } from './call-details';
import { CallEntity } from './call.entity';
import { lockCall, writeCall } from './call-locks';
import { TERMINAL_STATUSES } from './call-record';
import { CallRecords } from './call-records.service';
import { markReconciled } from './call-transition-events';
import { parseCustomField } from './correlation';
import { exotelTime, toExotelTime } from './status-callback-payload';

/** What one search found, by finding. */
export interface UnknownCallFindings {
  readonly placed: number;
  readonly notPlaced: number;
  readonly gaveUp: number;
}

type Finding = 'placed' | 'not_placed' | 'gave_up';

// Exotel's longest ring time (TRAI) and call, bounding when a placed call must have ended.
const MAX_RING_SECONDS = 60;
const MAX_TIME_LIMIT_SECONDS = 14_400;

/**
 * Looks up calls whose Calls/connect outcome is unknown, without ever re-sending them: in Exotel's
 * bulk call list (From, To and a window around the request; ongoing calls are not listed, so a call
 * is found once it ended), skipping Sids another record already holds, confirming the closest one
 * with the call-details API (whose `CustomField`, when present, proves it by correlation id), and
 * recording `call.reconciled` with the finding. A call still not found `giveUpAfterMs` after its
 * request is given up: `not_placed` when the search covered every moment a placed call could have
 * lasted, else `gave_up`. Every change re-reads the call under a row lock and checks it is still
 * unsettled.
 */
@Injectable()
export class UnknownCallSearch {
  private readonly logger = new Logger(UnknownCallSearch.name);

  constructor(
    @InjectExotelOptions('calls') private readonly calls: ResolvedExotelOptions['calls'],
    private readonly client: ExotelClient,
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly records: CallRecords,
  ) {}

  /** Searches for one batch of unknown calls, oldest first. */
  async search(): Promise<UnknownCallFindings> {
    const unknown = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: { outcome: 'unknown', reconciledAt: IsNull(), settledAt: Not(IsNull()), origin: 'api' },
        order: { requestedAt: 'ASC' },
        take: this.calls.reconcile.batchSize,
      }),
    );
    let placed = 0;
    let notPlaced = 0;
    let gaveUp = 0;
    for (const call of unknown) {
      try {
        const finding = await this.reconcile(call);
        if (finding === 'placed') placed++;
        else if (finding === 'not_placed') notPlaced++;
        else if (finding === 'gave_up') gaveUp++;
      } catch (error) {
        this.logger.warn(
          logLine('Reconciliation lookup failed; tried again next run', { callId: call.id, err: error }),
        );
      }
    }
    return { placed, notPlaced, gaveUp };
  }

  private async reconcile(call: CallEntity): Promise<Finding | null> {
    const { lookBackMs, giveUpAfterMs } = this.calls.reconcile;
    const now = this.clock.now();
    const windowEnd = Math.min(now.getTime(), call.requestedAt.getTime() + maxSpanMs(call) + lookBackMs);
    const page = await this.client.listCalls({
      from: [call.fromNumber!],
      to: call.mode === 'connect' && call.toNumber ? [call.toNumber] : undefined,
      direction: ['outbound-api'],
      dateCreated: {
        gte: toExotelTime(new Date(call.requestedAt.getTime() - lookBackMs)),
        // Exotel's times have whole seconds: round the end up so a call of this second is in.
        lte: toExotelTime(new Date(windowEnd + 1_000)),
      },
      sortBy: 'DateCreated:asc',
      pageSize: 100,
    });
    const claimed = await this.db.read((manager) =>
      this.records.claimedSids(
        manager,
        page.Calls.map((c) => c.Sid),
      ),
    );
    // A Sid this very call holds is still a candidate; one another record holds is not.
    const candidates = page.Calls.filter((c) => (claimed.get(c.Sid) ?? call.id) === call.id).sort(
      (a, b) => distance(a, call) - distance(b, call),
    );
    for (const candidate of candidates) {
      const details = await this.client.getCall(candidate.Sid, { details: true });
      const theirs = parseCustomField(details.CustomField);
      if (theirs && theirs.correlationId !== call.correlationId) continue;
      const via = theirs ? 'call_details' : 'bulk_list';
      return (await this.settle(call.id, 'placed', via, details)) ? 'placed' : null;
    }
    if (now.getTime() - call.requestedAt.getTime() < giveUpAfterMs) return null;
    // Not found by the deadline. If the search covered the longest a placed call could have lasted,
    // Exotel has no such call; else the deadline came first.
    const covered = windowEnd >= call.requestedAt.getTime() + maxSpanMs(call);
    const finding = covered ? 'not_placed' : 'gave_up';
    return (await this.settle(call.id, finding, 'deadline')) ? finding : null;
  }

  private async settle(
    callId: string,
    finding: Finding,
    via: 'call_details' | 'bulk_list' | 'deadline',
    details?: ExotelCall,
  ): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const call = await lockCall(manager, this.db.dialect, { id: callId });
      if (!call || call.reconciledAt || call.outcome !== 'unknown') return false;
      const now = this.clock.now();
      const published: CataloguedEventInput[] = [];
      if (details) {
        const holder = (await this.records.claimedSids(manager, [details.Sid])).get(details.Sid);
        if (holder !== undefined && holder !== call.id) return false;
        call.callSid = details.Sid;
        call.outcome = 'initiated';
        applyDetails(call, details);
        if (TERMINAL_STATUSES.has(details.Status)) {
          const completed = await completeFromDetails(manager, call, details, this.records.nextId(now), now);
          if (completed) published.push(completed);
        }
      } else if (finding === 'not_placed') {
        call.outcome = 'failed';
      }
      published.unshift(markReconciled(call, finding, via, now));
      call.updatedAt = now;
      await writeCall(manager, call);
      await this.events.publish(manager, published);
      return true;
    });
  }
}

/** The longest a placed call can last: ringing both legs, then its time limit. */
function maxSpanMs(call: CallEntity): number {
  const parameters = call.parameters ?? {};
  const ring = typeof parameters.timeOut === 'number' ? parameters.timeOut : MAX_RING_SECONDS;
  const limit = typeof parameters.timeLimit === 'number' ? parameters.timeLimit : MAX_TIME_LIMIT_SECONDS;
  return (2 * ring + limit) * 1000;
}

function distance(candidate: ExotelCall, call: CallEntity): number {
  const created = exotelTime(candidate.DateCreated);
  return created ? Math.abs(created.getTime() - call.requestedAt.getTime()) : Number.MAX_SAFE_INTEGER;
}
