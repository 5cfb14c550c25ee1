import type { IncidentSignal } from './incident-signal';
import type { IncidentContext } from './incident-ledger';
import type { TimelineInput } from './incident-records';
import { API_LATENCY_SCOPE, scopeContains } from './incident-scope';
import type { IncidentEntity } from './incident.entity';

/** Timeline entries recording a signal on the incidents it concerns. */
export function signalEntries(
  signal: IncidentSignal,
  incidents: readonly IncidentEntity[],
  context: IncidentContext,
): TimelineInput[] {
  const { now } = context;
  switch (signal.source) {
    case 'health': {
      const d = signal.data;
      const region = context.regionOf(d.exoPhoneSid) ?? d.region;
      return incidents
        .filter((i) => scopeContains(i.scope, d.exoPhoneSid, region))
        .map((i) => ({
          incidentId: i.id,
          at: now,
          type: 'signal' as const,
          detail: `ExoPhone ${d.phoneNumber ?? d.exoPhoneSid} ${d.direction}: ${d.previous} -> ${d.current} (${d.source})`,
          eventId: signal.eventId,
          data: { type: 'exophone.health_changed', ...d },
        }));
    }
    case 'heartbeat':
    case 'latency': {
      const concerned = (i: IncidentEntity) =>
        signal.source === 'heartbeat' ? !i.resolvedAt : i.scope === API_LATENCY_SCOPE;
      return incidents.filter(concerned).map((i) => ({
        incidentId: i.id,
        at: now,
        type: 'signal' as const,
        detail: signal.detail,
        eventId: signal.eventId,
      }));
    }
    default:
      return [];
  }
}
