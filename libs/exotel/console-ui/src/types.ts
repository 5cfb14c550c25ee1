/** The shapes the console's API answers (see libs/exotel/src/console/console-views.ts). */

export type HealthState = 'active' | 'partial_network_outage' | 'major_outage' | 'unknown';
export type Direction = 'incoming' | 'outgoing';

interface DirectionHealth {
  readonly state: HealthState;
  readonly lastCheckTime: string | null;
  readonly alternates: readonly string[];
}

export interface ExoPhone {
  readonly sid: string;
  readonly phoneNumber: string | null;
  readonly friendlyName: string | null;
  readonly region: string | null;
  readonly customerFacing: boolean;
  /** The operator's mark; null: the `exophones.customerFacing` option decides. */
  readonly customerFacingMark: boolean | null;
  readonly incoming: DirectionHealth;
  readonly outgoing: DirectionHealth;
  readonly healthChangedAt: string | null;
}

export interface Pulse {
  readonly now: string;
  readonly heartbeat: { appliedAt: string | null; statusType: string | null; expectedEverySeconds: number };
  readonly delivery: {
    status?: string;
    kafkaConnection?: string;
    inProcess?: { pending: number; oldestPendingSeconds: number; failingPasses: number };
    kafka?: { pending: number; oldestPendingSeconds: number; failingPasses: number };
  };
}

export interface Summary extends Pulse {
  readonly counts: Record<Direction, Record<HealthState, number>>;
}

export interface Incident {
  readonly id: string;
  readonly scope: string;
  readonly kind: string;
  readonly title: string;
  readonly status: 'open' | 'resolved';
  readonly classification: { origin: string; planned: boolean; evidence: readonly string[]; by: string };
  readonly affectedTotal: number;
  readonly advice: { alternates: readonly string[]; warnings: readonly string[] };
  readonly openedAt: string;
  readonly expectedRestore: { from: string | null; by: string | null };
  readonly escalatedAt: string | null;
  readonly resolvedAt: string | null;
  readonly rcaDueAt: string | null;
  readonly rca: { summary: string; url: string | null } | null;
  readonly timeline?: readonly { at: string; type: string; detail: string }[];
}

export interface MaintenanceWindow {
  readonly id: string;
  readonly scope: string;
  readonly source: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly description: string | null;
  readonly state: string;
}

export interface Clock {
  readonly dueAt: string | null;
  readonly metAt: string | null;
  readonly breached: boolean;
  readonly remainingMs: number;
  readonly targetMs: number;
  readonly paused: boolean;
  readonly warning: boolean;
}

export interface Ticket {
  readonly id: string;
  readonly title: string;
  readonly severity: number;
  readonly plan: string;
  readonly status: string;
  readonly incidentId: string | null;
  readonly openedAt: string;
  readonly coverage: { kind: 'always' } | { kind: 'daily'; timeZone: string; from: string; to: string };
  readonly acknowledgement: Clock;
  readonly response: Clock;
}

export interface CallBrief {
  readonly id: string;
  readonly callSid: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly callerId: string | null;
  readonly failover: boolean;
  readonly outcome: string;
  readonly outcomeReason: string | null;
  readonly status: string;
  readonly latencyMs: number | null;
  readonly requestedAt: string;
}

export interface LatencyChart {
  readonly bucketMinutes: number;
  readonly thresholds: { p50Ms: number; p95Ms: number; p99Ms: number };
  readonly buckets: readonly {
    from: string;
    samples: number;
    p50Ms: number | null;
    p95Ms: number | null;
    p99Ms: number | null;
  }[];
}
