import { Injectable, Logger } from '@nestjs/common';
import { IsNull, LessThanOrEqual, Not, type EntityManager } from 'typeorm';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import { ExotelJob } from '../jobs/exotel-job.decorator';
import { logLine } from '../logging/log-line';
import { ExotelDatabase } from '../persistence/exotel-database';
import { EXOTEL_RESTORE_HOURS, expectedRestore } from './incident-clocks';
import { IncidentLedger } from './incident-ledger';
import { appendTimeline, updatedEvent } from './incident-records';
import { IncidentSignals } from './incident-signals';
import { IncidentEntity } from './incident.entity';
import type { IncidentOrigin } from './incident.types';
import { MaintenanceWindowsService } from './maintenance-windows.service';

/** Name of the job that escalates, signals RCAs due and runs maintenance windows; `ExotelScheduler.runNow(INCIDENT_WATCH_JOB)`. */
export const INCIDENT_WATCH_JOB = 'exotel.incidents.watch';

/** What one pass did. */
export interface IncidentWatchResult {
  readonly escalated: number;
  readonly rcaDue: number;
  readonly maintenanceEnded: number;
}

/**
 * The incidents' clocks: `maintenance.started`/`.ended` when windows begin and end (a planned
 * incident still open when its window ends becomes unplanned), `incident.updated` (`escalated`)
 * when an Exotel-specific unplanned incident outlives the expected 2-4 h, `incident.rca_due` when
 * the 72 h for its RCA pass without one, and a fresh look at ExoPhone health.
 *
 * A singleton job, but exactly-once rests on conditional updates (`escalated_at`,
 * `rca_due_signalled_at`, the window's `started_at`/`ended_at` set only while null), made in the
 * transaction that publishes: a lease can lapse while its holder still works.
 */
@Injectable()
export class IncidentWatchJob {
  private readonly logger = new Logger(IncidentWatchJob.name);

  constructor(
    private readonly db: ExotelDatabase,
    private readonly clock: ExotelClock,
    private readonly ledger: IncidentLedger,
    private readonly signals: IncidentSignals,
    private readonly maintenance: MaintenanceWindowsService,
    private readonly events: EventPublisher,
  ) {}

  /** One pass. */
  @ExotelJob({ name: INCIDENT_WATCH_JOB, intervalMs: (options) => options.incidents.checkIntervalMs })
  async check(): Promise<IncidentWatchResult> {
    const now = this.clock.now();
    const maintenanceEnded = await this.db.transaction(async (manager) => {
      await this.ledger.lock(manager);
      const ended = await this.maintenance.publishTransitions(manager, now);
      for (const window of ended) await this.overran(manager, window.id, now);
      return ended.length;
    });
    const escalated = await this.escalate(now);
    const rcaDue = await this.rcaDue(now);
    await this.signals.submit({ source: 'recheck' });
    if (escalated + rcaDue + maintenanceEnded > 0)
      this.logger.log(logLine('Incident clocks ran', { escalated, rcaDue, maintenanceEnded }));
    return { escalated, rcaDue, maintenanceEnded };
  }

  /** A planned incident still open when its window ends is no longer planned. */
  private async overran(manager: EntityManager, windowId: string, now: Date): Promise<void> {
    const incidents = await manager.find(IncidentEntity, {
      where: { maintenanceWindowId: windowId, resolvedAt: IsNull(), planned: true, classifiedBy: 'signals' },
    });
    for (const incident of incidents) {
      incident.planned = false;
      const restore = expectedRestore(incident.origin as IncidentOrigin, false, now, null);
      incident.expectedRestoreFrom = restore.from;
      incident.expectedRestoreBy = restore.by;
      const detail = `maintenance window ${windowId} ended at ${now.toISOString()} while still affected: now unplanned`;
      incident.evidence = [...incident.evidence, detail];
      incident.updatedAt = now;
      await this.ledger.save(manager, incident);
      await appendTimeline(manager, [{ incidentId: incident.id, at: now, type: 'reclassified', detail }]);
      await this.events.publish(manager, updatedEvent(incident, 'reclassified', detail, now));
    }
  }

  private async escalate(now: Date): Promise<number> {
    const due = await this.db.read((manager) =>
      manager.find(IncidentEntity, {
        select: { id: true },
        where: {
          resolvedAt: IsNull(),
          escalatedAt: IsNull(),
          planned: false,
          origin: 'exotel',
          expectedRestoreBy: LessThanOrEqual(now),
        },
      }),
    );
    let count = 0;
    for (const { id } of due) {
      count += await this.db.transaction(async (manager) => {
        await this.ledger.lock(manager);
        if (!(await claim(manager, id, 'escalated_at', 'resolved_at IS NULL', now))) return 0;
        const incident = await manager.findOneByOrFail(IncidentEntity, { id });
        const detail =
          `not restored by ${incident.expectedRestoreBy?.toISOString()}: Exotel expects its own downtime fixed ` +
          `within ${EXOTEL_RESTORE_HOURS.from}-${EXOTEL_RESTORE_HOURS.by} h; escalate with Exotel support`;
        await appendTimeline(manager, [{ incidentId: id, at: now, type: 'escalated', detail }]);
        await this.events.publish(manager, updatedEvent(incident, 'escalated', detail, now));
        return 1;
      });
    }
    return count;
  }

  private async rcaDue(now: Date): Promise<number> {
    const due = await this.db.read((manager) =>
      manager.find(IncidentEntity, {
        select: { id: true },
        where: {
          resolvedAt: Not(IsNull()),
          rcaRecordedAt: IsNull(),
          rcaDueSignalledAt: IsNull(),
          rcaDueAt: LessThanOrEqual(now),
        },
      }),
    );
    let count = 0;
    for (const { id } of due) {
      count += await this.db.transaction(async (manager) => {
        await this.ledger.lock(manager);
        if (!(await claim(manager, id, 'rca_due_signalled_at', 'rca_recorded_at IS NULL', now))) return 0;
        const incident = await manager.findOneByOrFail(IncidentEntity, { id });
        const rcaDueAt = incident.rcaDueAt!.toISOString();
        await appendTimeline(manager, [
          { incidentId: id, at: now, type: 'rca_due', detail: `no RCA recorded by ${rcaDueAt}` },
        ]);
        await this.events.publish(manager, {
          type: 'incident.rca_due',
          subject: id,
          data: { incidentId: id, rcaDueAt },
        });
        return 1;
      });
    }
    return count;
  }
}

/** Sets a once-only column; true when this transaction's update did it. */
async function claim(
  manager: EntityManager,
  id: string,
  column: 'escalated_at' | 'rca_due_signalled_at',
  also: string,
  now: Date,
): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(IncidentEntity)
    .set(
      column === 'escalated_at'
        ? { escalatedAt: now, updatedAt: now }
        : { rcaDueSignalledAt: now, updatedAt: now },
    )
    .where(`id = :id AND ${column} IS NULL AND ${also}`, { id })
    .execute();
  return (result.affected ?? 0) > 0;
}
