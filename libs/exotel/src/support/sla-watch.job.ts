import { Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { SlaSignalEntity } from './sla-signal.entity';
import { FIRST_CYCLE, dueSignals, signalKey, SlaSignals } from './sla-signals';
import { lockTicket, pausesByTicket } from './ticket-records';
import { TicketEntity } from './ticket.entity';

/** Name of the job that publishes `sla.warning` and `sla.breached`; `ExotelScheduler.runNow(SLA_WATCH_JOB)`. */
export const SLA_WATCH_JOB = 'exotel.support.sla-watch';

/**
 * Watches the clocks of unresolved tickets and publishes `sla.warning` when the warning fraction
 * of a target has run and `sla.breached` when a target has run out. It runs as a singleton job
 * (one replica per tick), but exactly-once rests on `exotel_sla_signals`: a lease can expire while
 * its holder is still working, so two replicas may well check the same ticket at once.
 */
@Injectable()
export class SlaWatchJob {
  constructor(
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
    private readonly signals: SlaSignals,
    @InjectExotelOptions('support') private readonly support: ResolvedExotelOptions['support'],
  ) {}

  /**
   * One pass over the unresolved tickets. Tickets with nothing due are sorted out from one read;
   * each ticket with something due gets its own short transaction that locks it, looks again and
   * publishes. Resolves to the number of events published.
   */
  @ExotelJob({ name: SLA_WATCH_JOB, intervalMs: (options) => options.support.checkIntervalMs })
  async check(): Promise<number> {
    const now = this.clock.now();
    const fraction = this.support.warningFraction;
    const candidates = await this.db.read(async (manager) => {
      const tickets = await manager.find(TicketEntity, {
        where: { resolvedAt: IsNull() },
        order: { openedAt: 'ASC' },
      });
      const ids = tickets.map((t) => t.id);
      const pauses = await pausesByTicket(manager, ids);
      const recorded = ids.length
        ? await manager.find(SlaSignalEntity, { where: { ticketId: In(ids), cycle: FIRST_CYCLE } })
        : [];
      return tickets.filter((ticket) => {
        const keys = new Set(
          recorded.filter((r) => r.ticketId === ticket.id).map((r) => signalKey(r.metric, r.kind)),
        );
        return dueSignals(ticket, pauses.get(ticket.id) ?? [], now, fraction, keys).length > 0;
      });
    });
    let published = 0;
    for (const candidate of candidates) {
      published += await this.db.transaction(async (manager) => {
        const ticket = await lockTicket(manager, this.db.dialect, candidate.id);
        if (!ticket || ticket.resolvedAt) return 0;
        const pauses = (await pausesByTicket(manager, [ticket.id])).get(ticket.id) ?? [];
        return this.signals.publishDue(manager, ticket, pauses, now);
      });
    }
    return published;
  }
}
