import { Injectable } from '@nestjs/common';
import { scopeHealth } from './health-shape';
import { IncidentLedger, originOfScope } from './incident-ledger';
import { addEvidence } from './incident-records';
import type { IncidentConditionName } from './incident.types';
import type { SignalPass } from './signal-pass';

/** The latest word of one source (the API probe, the latency watch) on the scope it speaks to. */
export interface SourceReport {
  readonly scope: string;
  readonly name: IncidentConditionName;
  /** Whether the source's condition holds. */
  readonly active: boolean;
  readonly detail: string;
  /** The event that said so, when one did (it keys the opening's timeline entry). */
  readonly eventId: string | null;
}

/**
 * A source's condition (`api`, `latency`) on the incident of its scope: set when it changes, with
 * evidence and a timeline entry, and an incident opened when it starts to hold and there is none
 * (an outage for the API, degraded performance for latency).
 */
@Injectable()
export class SourceCondition {
  constructor(private readonly ledger: IncidentLedger) {}

  /** Sets one source's condition on the incident of `scope`, opening one when it starts to hold. */
  async apply(
    { manager, context, touch, timeline }: SignalPass,
    { scope, name, active, detail, eventId }: SourceReport,
  ): Promise<void> {
    const { now } = context;
    const incident = context.open.get(scope);
    if (!incident) {
      if (!active) return;
      const affected = scopeHealth(scope, context.phones, context.findings)?.affected ?? [];
      await this.ledger.open(manager, context, {
        scope,
        kind: name === 'latency' ? 'degraded_performance' : 'outage',
        openedBy: 'signal',
        origin: originOfScope(scope),
        evidence: [detail],
        affected,
        conditions: { [name]: { active: true, since: now.toISOString(), detail } },
        detail: `opened: ${detail}`,
        eventId,
      });
      return;
    }
    const current = incident.conditions[name];
    if (current?.active === active) return;
    if (!current && !active) return;
    incident.conditions = { ...incident.conditions, [name]: { active, since: now.toISOString(), detail } };
    if (active) addEvidence(incident, [detail]);
    timeline.push({
      incidentId: incident.id,
      at: now,
      type: 'signal',
      detail: `${name} condition: ${detail}`,
    });
    touch(incident);
  }
}
