import { z } from 'zod';
import { ValidationFailedError } from '../errors/http-request.errors';
import {
  toAlternates,
  toHealthState,
  type CallDirection,
  type ExoPhoneHealthState,
  type HealthObservation,
} from '../exophones/exophone-health.types';

/** Exotel's overall status of a heartbeat. */
type HeartbeatStatusType = 'OK' | 'WARNING' | 'CRITICAL' | 'PAYLOAD_TOO_LARGE';

/** A heartbeat, validated at the top level. Entries of `data` are read tolerantly when applied. */
export interface HeartbeatPayload {
  readonly timestamp: Date;
  readonly statusType: HeartbeatStatusType;
  readonly incomingAffected: readonly string[];
  readonly outgoingAffected: readonly string[];
  readonly data: Readonly<Record<string, unknown>>;
}

// RFC 3339 as Exotel writes it; the published example has a stray ">" after the zone, accepted.
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))>?$/i;

const sidList = (field: string) =>
  z
    .array(z.string({ error: `${field} must list ExoPhone SIDs as text` }), {
      error: `${field} must be a list of ExoPhone SIDs or null`,
    })
    .nullish();

const topLevel = z.object({
  timestamp: z
    .string({ error: 'timestamp is missing or not text' })
    .regex(RFC3339, { error: 'timestamp must be an RFC 3339 time such as 2018-08-22T15:19:23Z' }),
  status_type: z.enum(['OK', 'WARNING', 'CRITICAL', 'PAYLOAD_TOO_LARGE'], {
    error: 'status_type must be OK, WARNING, CRITICAL or PAYLOAD_TOO_LARGE',
  }),
  incoming_affected: sidList('incoming_affected'),
  outgoing_affected: sidList('outgoing_affected'),
  data: z
    .record(z.string(), z.unknown(), { error: 'data must be an object keyed by ExoPhone SID' })
    .nullish(),
});

/**
 * Checks that a parsed body is a heartbeat, naming the first bad field. Only the top level is
 * checked here (cheap even for 50,000 entries): `data` entries come in several shapes in the wild
 * and are read tolerantly by `observationsOf`.
 */
export function parseHeartbeat(body: unknown): HeartbeatPayload {
  const parsed = topLevel.safeParse(body);
  if (!parsed.success) {
    throw new ValidationFailedError(
      parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || '(body)',
        message: issue.message,
      })),
    );
  }
  const data = parsed.data.data ?? {};
  for (const [sid, entry] of Object.entries(data)) {
    if (entry !== null && typeof entry !== 'object') {
      throw new ValidationFailedError([
        { field: `data.${sid}`, message: 'each entry of data must be an object' },
      ]);
    }
  }
  return {
    timestamp: new Date(RFC3339.exec(parsed.data.timestamp)![1]),
    statusType: parsed.data.status_type,
    incomingAffected: parsed.data.incoming_affected ?? [],
    outgoingAffected: parsed.data.outgoing_affected ?? [],
    data,
  };
}

interface ConnectivityLeg {
  status?: unknown;
  last_check_time?: unknown;
  alternate_exophone?: unknown;
}

/**
 * What a heartbeat says about each affected ExoPhone, accepting every shape seen in real code:
 * `data[sid]` with only `phone_number`, with a `connectivity` block, or with `incoming_call` /
 * `outgoing_call` directly; null or missing affected lists.
 *
 * - A SID in an affected list is down in that direction: the entry's outage status if it gives one,
 *   else `major_outage`.
 * - A SID only in `data` takes the statuses its entry gives; with no status and no list at all, the
 *   heartbeat says it is affected without saying how, so its health is `unknown`.
 * - OK and PAYLOAD_TOO_LARGE carry no observations.
 */
export function observationsOf(payload: HeartbeatPayload): HealthObservation[] {
  if (payload.statusType === 'OK' || payload.statusType === 'PAYLOAD_TOO_LARGE') return [];
  const affected: Record<CallDirection, Set<string>> = {
    incoming: new Set(payload.incomingAffected),
    outgoing: new Set(payload.outgoingAffected),
  };
  const listsGiven = affected.incoming.size + affected.outgoing.size > 0;
  const observations: HealthObservation[] = [];
  for (const sid of new Set([...affected.incoming, ...affected.outgoing, ...Object.keys(payload.data)])) {
    const entry = (payload.data[sid] ?? {}) as Record<string, unknown>;
    const connectivity = (entry.connectivity ?? {}) as Record<string, unknown>;
    const phoneNumber = typeof entry.phone_number === 'string' ? entry.phone_number : null;
    for (const direction of ['incoming', 'outgoing'] as const) {
      const leg = (connectivity[`${direction}_call`] ?? entry[`${direction}_call`]) as
        ConnectivityLeg | undefined;
      const reported = leg && typeof leg === 'object' ? toHealthState(leg.status) : undefined;
      let state: ExoPhoneHealthState | undefined;
      if (affected[direction].has(sid))
        state = reported && reported !== 'active' && reported !== 'unknown' ? reported : 'major_outage';
      else if (reported && reported !== 'unknown') state = reported;
      else if (!listsGiven) state = 'unknown';
      if (!state) continue;
      const checked = leg && typeof leg.last_check_time === 'string' ? new Date(leg.last_check_time) : null;
      observations.push({
        exoPhoneSid: sid,
        phoneNumber,
        direction,
        state,
        checkedAt: checked && !Number.isNaN(checked.getTime()) ? checked : null,
        alternates: leg && typeof leg === 'object' ? toAlternates(leg.alternate_exophone) : [],
      });
    }
  }
  return observations;
}
