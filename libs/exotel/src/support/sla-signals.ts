import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import type { CataloguedEventInput } from '../events/event-catalogue';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { evaluateSlaClock, slaDeadline, type SlaClockState } from './sla-clock';
import { SlaSignalEntity } from './sla-signal.entity';
import { clockInputs, type SlaMetric } from './support-ticket';
import type { TicketPauseEntity } from './ticket-pause.entity';
import type { TicketEntity } from './ticket.entity';

/**
 * The measuring cycle of a metric. Tickets are not reopened, so every metric is measured once and
 * its cycle is always 1; the cycle is part of each signal's key (and of the events) so reopening
 * can later start cycle 2 without a schema change.
 */
export const FIRST_CYCLE = 1;

/** What a signal says: the warning fraction of a target has passed, or all of it. */
type SlaSignalKind = 'warning' | 'breached';

/** A signal a ticket's clocks call for. */
export interface DueSignal {
  readonly metric: SlaMetric;
  readonly kind: SlaSignalKind;
  readonly state: SlaClockState;
  readonly targetMinutes: number;
}

/** Key of a signal among a ticket's recorded ones. */
export const signalKey = (metric: string, kind: string): string => `${metric}:${kind}`;

/**
 * The signals a ticket's clocks call for at `now` that are not among `recorded`: `breached` once a
 * metric is past due (or was met late), `warning` once the warning fraction of its target has run
 * while the clock still runs. A warning that was missed before the breach is not sent late: the
 * breach says more.
 */
export function dueSignals(
  ticket: TicketEntity,
  pauses: readonly TicketPauseEntity[],
  now: Date,
  warningFraction: number,
  recorded: ReadonlySet<string>,
): DueSignal[] {
  const inputs = clockInputs(ticket, pauses);
  const due: DueSignal[] = [];
  for (const metric of ['acknowledgement', 'response'] as const) {
    const input = inputs[metric];
    const state = evaluateSlaClock(input, now);
    if (recorded.has(signalKey(metric, 'breached'))) continue;
    if (state.breached) {
      due.push({ metric, kind: 'breached', state, targetMinutes: input.targetMinutes });
      continue;
    }
    if (state.metAt || !state.dueAt || recorded.has(signalKey(metric, 'warning'))) continue;
    const warnAt = slaDeadline(input, input.targetMinutes * warningFraction);
    if (warnAt && now.getTime() >= warnAt.getTime())
      due.push({ metric, kind: 'warning', state, targetMinutes: input.targetMinutes });
  }
  return due;
}

/**
 * Publishes SLA signals exactly once per ticket, metric, cycle and kind. Each signal is first
 * recorded in `exotel_sla_signals`, whose primary key is that tuple; only the transaction whose
 * insert landed publishes the event, in the same transaction, so a signal and its event commit
 * together or not at all.
 */
@Injectable()
export class SlaSignals {
  constructor(
    private readonly events: EventPublisher,
    @InjectExotelOptions('support') private readonly support: ResolvedExotelOptions['support'],
  ) {}

  /**
   * Publishes what `ticket` calls for at `now` and was not published yet; call it inside the
   * transaction that holds the ticket's lock. Resolves to the number of events published.
   */
  async publishDue(
    manager: EntityManager,
    ticket: TicketEntity,
    pauses: readonly TicketPauseEntity[],
    now: Date,
  ): Promise<number> {
    const recorded = await manager.find(SlaSignalEntity, {
      where: { ticketId: ticket.id, cycle: FIRST_CYCLE },
    });
    const keys = new Set(recorded.map((r) => signalKey(r.metric, r.kind)));
    let published = 0;
    for (const signal of dueSignals(ticket, pauses, now, this.support.warningFraction, keys)) {
      if (!(await this.claim(manager, ticket.id, signal, now))) continue;
      await this.events.publish(manager, eventOf(ticket.id, signal, now));
      published++;
    }
    return published;
  }

  private async claim(
    manager: EntityManager,
    ticketId: string,
    signal: DueSignal,
    now: Date,
  ): Promise<boolean> {
    const claim = randomUUID();
    const key = { ticketId, metric: signal.metric, cycle: FIRST_CYCLE, kind: signal.kind };
    // ON CONFLICT DO NOTHING: a concurrent insert of the same key waits for the other transaction,
    // then finds its row; reading the row back tells whose insert it is.
    await manager
      .createQueryBuilder()
      .insert()
      .into(SlaSignalEntity)
      .values({ ...key, claim, recordedAt: now })
      .orIgnore()
      .execute();
    const row = await manager.findOneBy(SlaSignalEntity, key);
    return row?.claim === claim;
  }
}

function eventOf(ticketId: string, signal: DueSignal, now: Date): CataloguedEventInput {
  const dueAt = (signal.state.dueAt ?? now).toISOString();
  if (signal.kind === 'breached') {
    return {
      type: 'sla.breached',
      subject: ticketId,
      data: { ticketId, metric: signal.metric, cycle: FIRST_CYCLE, dueAt, breachedAt: now.toISOString() },
    };
  }
  const fraction = signal.state.elapsedMs / (signal.targetMinutes * 60_000);
  return {
    type: 'sla.warning',
    subject: ticketId,
    data: {
      ticketId,
      metric: signal.metric,
      cycle: FIRST_CYCLE,
      dueAt,
      elapsedFraction: Math.round(fraction * 10_000) / 10_000,
    },
  };
}
