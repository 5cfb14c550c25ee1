import type { CoverageHours, SlaTargets, SupportPlan, TicketSeverity } from './support-policy';

/**
 * A version of the support policy given in the options, e.g. when Exotel revises its policy or a
 * contract says otherwise. It applies to tickets opened from `effectiveFrom` on.
 */
export interface SlaPolicyVersionOption {
  /** Stable id, recorded on each ticket; the built-in version is `exotel-v1` (reuse it to replace it). */
  id: string;
  /** First instant the version applies to: a `Date` or an ISO 8601 instant with offset. */
  effectiveFrom: Date | string;
  /** Acknowledgement and response targets for each severity 1-4, in minutes of coverage time. */
  targets: Record<TicketSeverity, SlaTargets>;
  /** Coverage per plan; a plan left out keeps Exotel's (enterprise 24x7, SME/SMB 08:00-22:00 IST). */
  coverage?: Partial<Record<SupportPlan, CoverageHours>>;
}

/** Options of the support SLA. */
export interface ExotelSupportOptions {
  /**
   * The account's Exotel support plan, used for tickets that do not name one: `enterprise` (24x7)
   * or `sme` / `smb` (08:00-22:00 Asia/Kolkata every day).
   * @default 'enterprise'
   */
  plan?: SupportPlan;
  /** Fraction of a target after which `sla.warning` is published, between 0 and 1. @default 0.75 */
  warningFraction?: number;
  /**
   * Open a ticket when an unplanned incident opens (`incident.opened`): severity 1 for outages,
   * severity 2 for degraded performance (API slowness). @default false
   */
  openTicketsForIncidents?: boolean;
  /** Interval of the job that publishes SLA warnings and breaches. @default 30000 */
  checkIntervalMs?: number;
  /** Policy versions besides (or replacing) Exotel's published one. @default [] */
  policyVersions?: SlaPolicyVersionOption[];
  /**
   * Oldest `openedAt` a ticket may be opened with (imported tickets), in milliseconds before now:
   * an older one is refused with 400 (`VALIDATION_FAILED` on `openedAt`), as no ticket is opened
   * decades ago. @default 31622400000 (366 days)
   */
  maxTicketAgeMs?: number;
  /**
   * How far in the future an `openedAt` may be (the sender's clock running ahead) before it is
   * refused with 400; within it, the ticket opens now. @default 300000 (5 minutes)
   */
  clockSkewMs?: number;
}
