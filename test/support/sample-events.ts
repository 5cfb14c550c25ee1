import type { CataloguedEventInput } from 'nestjs-exotel/internal';

/** A valid `call.requested` event for `callId`, with `n` carried in the correlation id. */
export function callRequested(callId: string, n = 0): CataloguedEventInput {
  return {
    type: 'call.requested',
    subject: callId,
    data: {
      callId,
      correlationId: `corr-${n}`,
      mode: 'connect',
      from: '+919876543210',
      to: '+919812345678',
      callerId: '08047491899',
      purpose: 'transactional',
    },
  };
}

/** A valid `call.outcome_unknown` event. */
export function callOutcomeUnknown(callId: string, reason = 'timeout'): CataloguedEventInput {
  return { type: 'call.outcome_unknown', subject: callId, data: { callId, reason } };
}

/** A valid `incident.opened` event. */
export function incidentOpened(
  incidentId: string,
  kind: 'outage' | 'degraded_performance' = 'outage',
  options: { planned?: boolean; openedAt?: string } = {},
): CataloguedEventInput {
  return {
    type: 'incident.opened',
    subject: incidentId,
    data: {
      incidentId,
      scope: 'all ExoPhones (Mumbai)',
      kind,
      classification: { origin: 'exotel', planned: options.planned ?? false, evidence: ['heartbeat'] },
      affected: [],
      openedAt: options.openedAt ?? '2026-11-23T10:00:00.000Z',
      expectedRestoreBy: null,
      advice: { alternates: [], warnings: [] },
    },
  };
}
