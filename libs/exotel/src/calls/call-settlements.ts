import { Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { In } from 'typeorm';
import { GroupCommit } from '../async/group-commit';
import type { CataloguedEventInput } from '../events/event-catalogue';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelMetrics } from '../metrics/exotel-metrics';
import { ExotelDatabase } from '../persistence/exotel-database';
import { isUniqueViolation } from '../persistence/unique-violation';
import type { CallEntity } from './call.entity';
import { callsWriteBack, lockCalls } from './call-locks';
import { CallOutcomeTransitions, type Settlement } from './call-outcome-transitions';
import { toCallRecord, type CallRecord } from './call-record';

/**
 * Records Calls/connect's outcomes. Outcomes settled by concurrent requests share transactions
 * (group commit): the calls, and the rows already holding their CallSids, are locked in one read,
 * written back in one statement, and their events published together.
 */
@Injectable()
export class CallSettlements {
  private readonly outcomes: Counter<'outcome'>;
  private readonly settlements: GroupCommit<Settlement, CallRecord>;

  constructor(
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly transitions: CallOutcomeTransitions,
    metrics: ExotelMetrics,
  ) {
    this.outcomes = metrics.counter({
      name: 'exotel_calls_total',
      help: 'Calls/connect outcomes recorded by CallsService',
      labelNames: ['outcome'],
    });
    this.settlements = new GroupCommit({
      writeTogether: (items) => this.settleAll(items),
      writeAlone: (item) => this.settleAlone(item),
      splitOn: (error) => isUniqueViolation(error) || error instanceof SettlementConflict,
    });
  }

  /** Records one call's outcome; resolves to the call as recorded. */
  settle(settlement: Settlement): Promise<CallRecord> {
    return this.settlements.write(settlement);
  }

  /** One call's outcome in a transaction of its own (a batch of one). */
  private async settleAlone(item: Settlement): Promise<CallRecord> {
    try {
      return (await this.settleAll([item]))[0];
    } catch (error) {
      // A record for the CallSid committed while we waited for the call's lock (our read did not
      // see it, the write hit the unique key): read again, now seeing it, and fold it in.
      if (!isUniqueViolation(error)) throw error;
      return (await this.settleAll([item]))[0];
    }
  }

  /** Outcomes of several calls in one transaction. */
  private async settleAll(items: readonly Settlement[]): Promise<CallRecord[]> {
    const sids = items.flatMap(({ result }) => (result.kind === 'initiated' ? [result.call.Sid] : []));
    // Each call's holder is read once, before any is adopted: they must be different rows.
    if (new Set(sids).size !== sids.length)
      throw new SettlementConflict('Two calls of one batch were answered the same CallSid');
    const ids = items.map((item) => item.callId);
    const rows = await this.db.transaction(async (manager) => {
      const locked = await lockCalls(
        manager,
        this.db.dialect,
        sids.length > 0 ? [{ id: In(ids) }, { callSid: In(sids) }] : [{ id: In(ids) }],
      );
      const byId = new Map(locked.map((row) => [row.id, row]));
      const bySid = new Map(locked.filter((row) => row.callSid).map((row) => [row.callSid!, row]));
      const now = this.clock.now();
      const calls: CallEntity[] = [];
      const published: CataloguedEventInput[] = [];
      for (const item of items) {
        const call = byId.get(item.callId);
        if (!call)
          throw new SettlementConflict(`Call ${item.callId} vanished before its outcome was recorded`);
        const sid = item.result.kind === 'initiated' ? item.result.call.Sid : undefined;
        // The row already holding the CallSid (this call's own, another's, or none).
        const holder = sid ? (bySid.get(sid) ?? null) : undefined;
        published.push(...(await this.transitions.apply(manager, call, item, holder, now)));
        calls.push(call);
      }
      // The calls written back with their events: one statement on PostgreSQL.
      await this.events.publishWithRows(manager, callsWriteBack(manager, calls), published);
      return calls;
    });
    for (const row of rows) this.outcomes.inc({ outcome: row.outcome });
    return rows.map(toCallRecord);
  }
}

/** A batch of outcomes that cannot be settled together; each is then settled alone. */
class SettlementConflict extends Error {}
