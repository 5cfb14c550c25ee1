import type { CallDirection } from '../exophones/exophone-health.types';

/** Who is behind a downtime: the network operator (one region or operator), Exotel itself, or not known. */
export type IncidentOrigin = 'operator' | 'exotel' | 'unknown';

/** An outage (calls cannot complete) or degraded performance (the API is slow). */
export type IncidentKindName = 'outage' | 'degraded_performance';

/** `open` until resolved. */
export type IncidentStatus = 'open' | 'resolved';

/**
 * A source of signals that can hold an incident open: ExoPhone health, the API failing, the API's
 * latency, or a person (`POST /incidents`). Each source sets and clears only its own condition.
 */
export type IncidentConditionName = 'exophones' | 'api' | 'latency' | 'manual';

/** One condition: whether it holds, since when, and what was last seen. */
export interface IncidentCondition {
  readonly active: boolean;
  readonly since: string;
  readonly detail: string;
}

/** The conditions of an incident; it resolves by itself when none is active. */
export type IncidentConditions = Partial<Record<IncidentConditionName, IncidentCondition>>;

/** The two axes of classification, with the evidence that decided them. */
export interface IncidentClassification {
  readonly origin: IncidentOrigin;
  readonly planned: boolean;
  readonly evidence: readonly string[];
}

/** Moving traffic off one affected ExoPhone direction. */
export interface AdviceMove {
  readonly from: string;
  readonly direction: CallDirection;
  /** The ExoPhone to move to; null when none is healthy. */
  readonly to: string | null;
  readonly toPhoneNumber: string | null;
  readonly reason: string;
}

/** What an operator can do about an incident. */
export interface IncidentAdvice {
  /** Healthy ExoPhones (SIDs) that traffic can move to, preferring other regions. */
  readonly alternates: readonly string[];
  /** Things failover cannot fix, such as a customer-facing ExoPhone being affected. */
  readonly warnings: readonly string[];
  readonly moves: readonly AdviceMove[];
}

/** A recorded root-cause analysis (RCA/RFO). */
export interface IncidentRca {
  readonly summary: string;
  readonly url: string | null;
  readonly recordedAt: string;
}
