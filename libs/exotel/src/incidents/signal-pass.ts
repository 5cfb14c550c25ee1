import type { EntityManager } from 'typeorm';
import type { IncidentContext } from './incident-ledger';
import type { TimelineInput } from './incident-records';
import type { IncidentEntity } from './incident.entity';

/**
 * One transaction applying a batch of signals: the incidents as it read them, and what the
 * conditions change, gathered to be written once.
 */
export interface SignalPass {
  readonly manager: EntityManager;
  readonly context: IncidentContext;
  /** Timeline entries to append once every condition has been applied. */
  readonly timeline: TimelineInput[];
  /** Marks an incident changed, to be saved at the end of the pass. */
  readonly touch: (incident: IncidentEntity) => void;
}
