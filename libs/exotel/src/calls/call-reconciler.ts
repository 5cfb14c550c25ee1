import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import { ExotelClient } from '../client/exotel-client';
import type { ExotelCall } from '../client/exotel-api.types';
import { ExotelApiError } from '../errors/exotel-api.error';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelScheduler } from '../jobs/exotel-scheduler';
import { logLine } from '../logging/log-line';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { CallCallbackEntity } from './call-callback.entity';
import { callCompleted, markReconciled } from './call-transition-events';
import { applyDetails, CallDetails } from './call-details';
import { CallEntity } from './call.entity';
import { lockCall, writeCall } from './call-locks';
import { TERMINAL_STATUSES } from './call-record';
import { CallRecords } from './call-records';
import { parseCustomField } from './correlation';
import { exotelTime, toExotelTime } from './status-callback-payload';

/** Name of the reconciliation job; `ExotelScheduler.runNow(CALL_RECONCILE_JOB)`. */
export const CALL_RECONCILE_JOB = 'exotel.calls.reconcile';

/** What one run did. */
export interface ReconcileRun {
  /** Calls whose Calls/connect never recorded an answer (the process stopped), now `unknown`. */
  readonly abandoned: number;
  readonly placed: number;
  readonly notPlaced: number;
  readonly gaveUp: number;
  /** Finished calls whose details (recording, duration, price) were read. */
  readonly detailsRead: number;
  /** Initiated calls without a terminal status callback that call details showed finished. */
  readonly settledSilent: number;
}

// Exotel's longest ring time (TRAI) and call, bounding when a placed call must have ended.
const MAX_RING_SECONDS = 60;
const MAX_TIME_LIMIT_SECONDS = 14_400;

/**
 * Settles calls whose Calls/connect outcome is unknown, without ever re-sending them. Each run
 * looks up a batch of unknown calls in Exotel's bulk call list (From, To and a window around the
 * request; ongoing calls are not listed, so a call is found once it ended), skips Sids another
 * record already holds, confirms the closest one with the call-details API (whose `CustomField`,
 * when present, proves it by correlation id), and records `call.reconciled` with the finding. A call
 * still not found `giveUpAfterMs` after its request is given up: `not_placed` when the search
 * covered every moment a placed call could have lasted, else `gave_up`.
 *
 * It runs as a singleton job (a lease per tick), and every change re-reads the call under a row
 * lock and checks it is still unsettled, so a run racing a status callback or another replica
 * changes nothing twice. It also reads the details of finished calls still missing them, and
 * marks calls whose Calls/connect answer was never recorded (the process stopped mid-request).
 */
@Injectable()
export class CallReconciler implements OnModuleInit {
  private readonly logger = new Logger(CallReconciler.name);

  constructor(
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
    private readonly scheduler: ExotelScheduler,
    private readonly client: ExotelClient,
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly records: CallRecords,
    private readonly details: CallDetails,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: CALL_RECONCILE_JOB,
      intervalMs: this.options.calls.reconcile.intervalMs,
      run: async () => {
        await this.run();
      },
    });
  }

  /** One pass. */
  async run(): Promise<ReconcileRun> {
    const abandoned = await this.markAbandoned();
    const { batchSize } = this.options.calls.reconcile;
    const unknown = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: { outcome: 'unknown', reconciledAt: IsNull(), settledAt: Not(IsNull()), origin: 'api' },
        order: { requestedAt: 'ASC' },
        take: batchSize,
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
    const detailsRead = await this.readPendingDetails();
    return { abandoned, placed, notPlaced, gaveUp, detailsRead, settledSilent: await this.settleSilent() };
  }

  /**
   * Placed calls that heard no terminal status callback for `silentAfterMs` (a lost callback, or no
   * status callback URL at all): look each up with call details and settle it once Exotel reports it
   * finished, through the same `terminal` key a late callback would claim. One still ringing or in
   * progress is looked at again `silentAfterMs` later.
   */
  private async settleSilent(): Promise<number> {
    const { silentAfterMs, batchSize } = this.options.calls.reconcile;
    const before = new Date(this.clock.now().getTime() - silentAfterMs);
    const silent = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: {
          origin: 'api',
          outcome: 'initiated',
          callSid: Not(IsNull()),
          endedAt: IsNull(),
          updatedAt: LessThan(before),
        },
        order: { updatedAt: 'ASC' },
        take: batchSize,
      }),
    );
    let settled = 0;
    for (const { id, callSid } of silent) {
      try {
        const details = await this.client.getCall(callSid!, { details: true });
        settled += await this.db.transaction(async (manager) => {
          const call = await lockCall(manager, this.db.dialect, { id });
          if (!call || call.endedAt || call.callSid !== details.Sid) return 0;
          const now = this.clock.now();
          const published: CataloguedEventInput[] = [];
          if (TERMINAL_STATUSES.has(details.Status)) {
            applyDetails(call, details);
            await this.completeFromDetails(manager, call, details, now, published);
          }
          call.updatedAt = now;
          await writeCall(manager, call);
          await this.events.publish(manager, published);
          return published.length > 0 ? 1 : 0;
        });
      } catch (error) {
        this.logger.warn(
          logLine('Call details of a silent call not read; tried again next run', { callId: id, err: error }),
        );
      }
    }
    return settled;
  }

  private async reconcile(call: CallEntity): Promise<'placed' | 'not_placed' | 'gave_up' | null> {
    const { lookBackMs, giveUpAfterMs } = this.options.calls.reconcile;
    const now = this.clock.now();
    const windowEnd = Math.min(now.getTime(), call.requestedAt.getTime() + this.maxSpanMs(call) + lookBackMs);
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
    const covered = windowEnd >= call.requestedAt.getTime() + this.maxSpanMs(call);
    const finding = covered ? 'not_placed' : 'gave_up';
    return (await this.settle(call.id, finding, 'deadline')) ? finding : null;
  }

  private async settle(
    callId: string,
    finding: 'placed' | 'not_placed' | 'gave_up',
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
        if (TERMINAL_STATUSES.has(details.Status))
          await this.completeFromDetails(manager, call, details, now, published);
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

  /**
   * The call ended without a terminal callback reaching us: record the end from call details, and
   * claim the `terminal` key so a late callback does not publish `call.completed` again.
   */
  private async completeFromDetails(
    manager: EntityManager,
    call: CallEntity,
    details: ExotelCall,
    now: Date,
    published: CataloguedEventInput[],
  ): Promise<void> {
    const id = this.records.nextId(now);
    const key = { callSid: details.Sid, eventKey: 'terminal' };
    await manager
      .createQueryBuilder()
      .insert()
      .into(CallCallbackEntity)
      .values({ id, ...key, callId: call.id, status: details.Status, deliveries: 0, receivedAt: now })
      .orIgnore()
      .execute();
    if ((await manager.findOneBy(CallCallbackEntity, key))?.id !== id) return;
    call.status = details.Status;
    call.endedAt = exotelTime(details.EndTime) ?? now;
    call.detailsPending = details.Duration === null || details.Duration === undefined;
    published.push(callCompleted(call, details.Sid, now));
  }

  /** Calls whose Calls/connect answer was never recorded, long after any attempt could last. */
  private async markAbandoned(): Promise<number> {
    const { timeouts, calls, rateLimit } = this.options;
    const attempts = calls.rateLimitRetries.maxAttempts + calls.notSentRetries.maxAttempts;
    // Each attempt may first wait for the client's rate budget, then connect and wait for the answer.
    const staleMs =
      (rateLimit.maxWaitMs + timeouts.connectMs + timeouts.requestMs) * attempts +
      calls.rateLimitRetries.maxWaitMs +
      60_000;
    const before = new Date(this.clock.now().getTime() - staleMs);
    const stale = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: { origin: 'api', settledAt: IsNull(), requestedAt: LessThan(before) },
        take: this.options.calls.reconcile.batchSize,
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

  private async readPendingDetails(): Promise<number> {
    const now = this.clock.now();
    const pending = await this.db.read((manager) =>
      manager.find(CallEntity, {
        where: { detailsPending: true },
        order: { endedAt: 'ASC' },
        take: this.options.calls.reconcile.batchSize,
      }),
    );
    let read = 0;
    for (const call of pending) {
      const expired =
        now.getTime() - (call.endedAt ?? call.updatedAt).getTime() >
        this.options.calls.reconcile.giveUpAfterMs;
      try {
        if (await this.details.fetch(call.id)) read++;
        else if (expired) await this.stopWaitingForDetails(call.id);
      } catch (error) {
        // A call we did not place (inbound, first seen in a callback) that Exotel's call-details
        // API does not know: its details are best-effort, so stop asking rather than warn for hours.
        const unknownInbound =
          call.origin === 'callback' && error instanceof ExotelApiError && error.status === 404;
        if (expired || unknownInbound) await this.stopWaitingForDetails(call.id);
        this.logger.warn(
          logLine(
            unknownInbound
              ? 'Call details not found for a call we did not place; not asking again'
              : 'Call details not read',
            { callId: call.id, err: error },
          ),
        );
      }
    }
    return read;
  }

  private async stopWaitingForDetails(id: string): Promise<void> {
    await this.db.transaction((manager) => manager.update(CallEntity, { id }, { detailsPending: false }));
  }

  /** The longest a placed call can last: ringing both legs, then its time limit. */
  private maxSpanMs(call: CallEntity): number {
    const parameters = call.parameters ?? {};
    const ring = typeof parameters.timeOut === 'number' ? parameters.timeOut : MAX_RING_SECONDS;
    const limit = typeof parameters.timeLimit === 'number' ? parameters.timeLimit : MAX_TIME_LIMIT_SECONDS;
    return (2 * ring + limit) * 1000;
  }
}

function distance(candidate: ExotelCall, call: CallEntity): number {
  const created = exotelTime(candidate.DateCreated);
  return created ? Math.abs(created.getTime() - call.requestedAt.getTime()) : Number.MAX_SAFE_INTEGER;
}
