import type { CallEntity, CallLeg, CallOrigin, CallOutcome } from './call.entity';

/** How the caller id was chosen. */
export interface CallerIdView {
  /** What was asked for. */
  readonly requested: string | null;
  /** What was sent to Exotel. */
  readonly chosen: string | null;
  /** `preferred`, `alternate` (Exotel's suggestion) or `pool`. */
  readonly rule: string | null;
  readonly reason: string | null;
}

/** A call as the library shows it (API answers, `CallRecords`). */
export interface CallRecord {
  readonly id: string;
  readonly correlationId: string;
  readonly callSid: string | null;
  /** The `Idempotency-Key` it was requested with, if any. */
  readonly idempotencyKey: string | null;
  readonly origin: CallOrigin;
  readonly direction: string;
  readonly mode: string | null;
  readonly from: string | null;
  readonly to: string | null;
  /** Flow calls: the applet id (or flow URL); stream calls: the stream URL without its query. */
  readonly target: string | null;
  readonly callerId: CallerIdView;
  /** True when failover chose another caller id than the one asked for. */
  readonly failover: boolean;
  readonly purpose: string;
  readonly customField: string | null;
  readonly outcome: CallOutcome;
  readonly outcomeReason: string | null;
  readonly exotelStatus: number | null;
  readonly exotelCode: string | null;
  readonly attempts: number;
  readonly status: string;
  readonly latencyMs: number | null;
  readonly requestedAt: string;
  readonly settledAt: string | null;
  readonly reconciliation: { readonly finding: string; readonly via: string; readonly at: string } | null;
  readonly answeredAt: string | null;
  readonly endedAt: string | null;
  readonly conversationSeconds: number | null;
  readonly legs: readonly CallLeg[];
  readonly recordingUrl: string | null;
  readonly durationSeconds: number | null;
  readonly price: string | null;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Data attached by other capabilities, by key (e.g. `voice`). */
  readonly extensions: Readonly<Record<string, unknown>>;
}

/** The view of a call row. */
export function toCallRecord(row: CallEntity): CallRecord {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: row.id,
    correlationId: row.correlationId,
    callSid: row.callSid,
    idempotencyKey: row.idempotencyKey,
    origin: row.origin,
    direction: row.direction,
    mode: row.mode,
    from: row.fromNumber,
    to: row.toNumber,
    target: row.target,
    callerId: {
      requested: row.callerIdRequested,
      chosen: row.callerId,
      rule: row.callerIdRule,
      reason: row.callerIdReason,
    },
    failover: row.callerIdRule !== null && row.callerIdRule !== 'preferred',
    purpose: row.purpose,
    customField: row.customField,
    outcome: row.outcome,
    outcomeReason: row.outcomeReason,
    exotelStatus: row.exotelStatus,
    exotelCode: row.exotelCode,
    attempts: row.attempts,
    status: row.status,
    latencyMs: row.latencyMs,
    requestedAt: row.requestedAt.toISOString(),
    settledAt: iso(row.settledAt),
    reconciliation:
      row.reconciledAt && row.reconciliationFinding && row.reconciledVia
        ? { finding: row.reconciliationFinding, via: row.reconciledVia, at: row.reconciledAt.toISOString() }
        : null,
    answeredAt: iso(row.answeredAt),
    endedAt: iso(row.endedAt),
    conversationSeconds: row.conversationSeconds,
    legs: row.legs ?? [],
    recordingUrl: row.recordingUrl,
    durationSeconds: row.durationSeconds,
    price: row.price,
    parameters: row.parameters ?? {},
    extensions: row.extensions ?? {},
  };
}

/** Terminal call statuses (the `terminal` callback's `Status`). */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'busy',
  'no-answer',
  'canceled',
]);
