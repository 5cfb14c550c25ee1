import { Injectable } from '@nestjs/common';
import { EventPublisher } from '../events/event-publisher';
import { scopeHealth } from './health-shape';
import { IncidentLedger } from './incident-ledger';
import { addEvidence, setAffected, updatedEvent } from './incident-records';
import type { SignalPass } from './signal-pass';

/**
 * The ExoPhone condition: ExoPhone health (read from the database, whatever the signal said) holds
 * it on every incident whose scope it speaks to, keeps those incidents' affected ExoPhones and
 * advice current, and opens an outage incident where the outage's shape calls for one.
 */
@Injectable()
export class ExoPhoneCondition {
  constructor(
    private readonly ledger: IncidentLedger,
    private readonly events: EventPublisher,
  ) {}

  /** Holds the ExoPhone condition of every incident health speaks to, and opens what its shape calls for. */
  async apply({ manager, context, touch, timeline }: SignalPass): Promise<void> {
    const { now } = context;
    for (const incident of [...context.open.values()]) {
      const health = scopeHealth(incident.scope, context.phones, context.findings);
      if (!health) continue;
      const finding = context.findings.find((f) => f.scope === incident.scope);
      const current = incident.conditions.exophones;
      if (current || health.holds) {
        if (!current || current.active !== health.holds) {
          const detail = health.holds
            ? (finding?.evidence.join('; ') ?? 'ExoPhones affected')
            : 'ExoPhones healthy again';
          incident.conditions = {
            ...incident.conditions,
            exophones: { active: health.holds, since: now.toISOString(), detail },
          };
          if (health.holds && finding) addEvidence(incident, finding.evidence);
          timeline.push({
            incidentId: incident.id,
            at: now,
            type: 'signal',
            detail: `ExoPhone condition: ${detail}`,
          });
          touch(incident);
        }
      }
      if (setAffected(incident, health.affected)) {
        incident.advice = this.ledger.advise(context, health.affected);
        const detail = `${incident.affectedTotal} affected ExoPhone direction(s)`;
        timeline.push({ incidentId: incident.id, at: now, type: 'affected_changed', detail });
        await this.events.publish(manager, updatedEvent(incident, 'affected_changed', detail, now));
        touch(incident);
      }
    }
    for (const finding of context.findings) {
      if (!finding.mayOpen || context.open.has(finding.scope)) continue;
      await this.ledger.open(manager, context, {
        scope: finding.scope,
        kind: 'outage',
        openedBy: 'signal',
        origin: finding.origin,
        evidence: finding.evidence,
        affected: finding.affected,
        conditions: {
          exophones: { active: true, since: now.toISOString(), detail: finding.evidence.join('; ') },
        },
        detail: 'opened from ExoPhone health',
      });
    }
  }
}
