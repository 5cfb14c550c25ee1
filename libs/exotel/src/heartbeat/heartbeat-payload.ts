import { z } from 'zod';
import { ValidationFailedError } from '../errors/http-request.errors';
import { realInstant, unsafeTextIn, type EdgeViolation } from '../http/edge-values';
import {
  toHealthState,
  type CallDirection,
  type ExoPhoneHealthState,
  type HealthObservation,
} from '../exophones/exophone-health.types';
import { OPTION_DEFAULTS } from '../options/exotel-options.defaults';
import {
  exoPhoneSid,
  heartbeatEntrySchema,
  quickHeartbeatEntry,
  type HeartbeatEntry,
} from './heartbeat-entries';

/** Exotel's overall status of a heartbeat. */
type HeartbeatStatusType = 'OK' | 'WARNING' | 'CRITICAL' | 'PAYLOAD_TOO_LARGE';

/** A heartbeat, every field checked. */
export interface HeartbeatPayload {
  readonly timestamp: Date;
  readonly statusType: HeartbeatStatusType;
  readonly incomingAffected: readonly string[];
  readonly outgoingAffected: readonly string[];
  /** `data` by ExoPhone SID: a Map, so no SID can name a property of Object.prototype. */
  readonly data: ReadonlyMap<string, HeartbeatEntry>;
}

/** Violations named in a refusal at most (a 10 MB heartbeat could have 50,000). */
const MAX_VIOLATIONS = 10;

const timestamp = z.string({ error: 'timestamp is missing or not text' }).transform((text, context) => {
  // The published example has a stray ">" after the zone: accepted.
  const instant = realInstant(text.endsWith('>') ? text.slice(0, -1) : text);
  if (instant) return instant;
  context.addIssue({
    code: 'custom',
    message: 'timestamp must be a real RFC 3339 time such as 2018-08-22T15:19:23Z',
  });
  return z.NEVER;
});

const sidList = (field: string) =>
  z
    .array(exoPhoneSid, { error: `${field} must be a list of ExoPhone SIDs or null` })
    .nullish()
    .transform((list) => list ?? []);

const topLevel = z.object(
  {
    timestamp,
    status_type: z.enum(['OK', 'WARNING', 'CRITICAL', 'PAYLOAD_TOO_LARGE'], {
      error: 'status_type must be OK, WARNING, CRITICAL or PAYLOAD_TOO_LARGE',
    }),
    incoming_affected: sidList('incoming_affected'),
    outgoing_affected: sidList('outgoing_affected'),
    // Checked entry by entry below: a record schema would build a plain object from the keys.
    data: z
      .custom<object>((value) => typeof value === 'object' && !Array.isArray(value), {
        error: 'data must be an object keyed by ExoPhone SID',
      })
      .nullish(),
  },
  { error: 'the body must be a heartbeat object' },
);

/**
 * Checks every field of a parsed body before the heartbeat is acknowledged, naming the bad ones
 * (400 `VALIDATION_FAILED`): no text anywhere with a NUL or a lone surrogate, SIDs of Exotel's
 * shape within their column, real dates (February 30 refused, not rolled over; from 2000; a
 * `last_check_time` no later than the heartbeat plus `maxClockSkewMs`), each `data` entry in one of
 * the shapes seen in the wild. The same body always gets the same answer, so Exotel's retries of a
 * refused heartbeat are refused alike.
 */
export function parseHeartbeat(
  body: unknown,
  maxClockSkewMs: number = OPTION_DEFAULTS.heartbeat.maxClockSkewMs,
): HeartbeatPayload {
  const unsafe = unsafeTextIn(body);
  if (unsafe) throw new ValidationFailedError([unsafe]);
  const parsed = topLevel.safeParse(body);
  if (!parsed.success) throw new ValidationFailedError(violationsOf(parsed.error, []));
  const top = parsed.data;
  const latest = top.timestamp.getTime() + maxClockSkewMs;
  const entrySchema = heartbeatEntrySchema(latest);
  const instants = new Map<string, Date | undefined>();
  const data = new Map<string, HeartbeatEntry>();
  const violations: EdgeViolation[] = [];
  for (const [sid, raw] of Object.entries(top.data ?? {})) {
    if (violations.length >= MAX_VIOLATIONS) break;
    const key = exoPhoneSid.safeParse(sid);
    if (!key.success) {
      violations.push({ field: 'data', message: `data has a key that ${key.error.issues[0].message}` });
      continue;
    }
    // The plainly valid entries are checked by hand; the schema decides, and explains, the rest.
    const quick = quickHeartbeatEntry(raw, latest, instants);
    if (quick) {
      data.set(sid, quick);
      continue;
    }
    const entry = entrySchema.safeParse(raw);
    if (entry.success) data.set(sid, entry.data);
    else violations.push(...violationsOf(entry.error, ['data', sid]));
  }
  if (violations.length > 0) throw new ValidationFailedError(violations.slice(0, MAX_VIOLATIONS));
  return {
    timestamp: top.timestamp,
    statusType: top.status_type,
    incomingAffected: top.incoming_affected,
    outgoingAffected: top.outgoing_affected,
    data,
  };
}

function violationsOf(error: z.ZodError, prefix: readonly string[]): EdgeViolation[] {
  return error.issues.slice(0, MAX_VIOLATIONS).map((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    const field = path.join('.') || '(body)';
    const message = issue.message.startsWith(path[0] ?? '\0') ? issue.message : `${field} ${issue.message}`;
    return { field, message };
  });
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
  for (const sid of new Set([...affected.incoming, ...affected.outgoing, ...payload.data.keys()])) {
    const entry = payload.data.get(sid);
    for (const direction of ['incoming', 'outgoing'] as const) {
      const leg = entry?.[direction] ?? null;
      const reported = leg ? toHealthState(leg.status) : undefined;
      let state: ExoPhoneHealthState | undefined;
      if (affected[direction].has(sid))
        state = reported && reported !== 'active' && reported !== 'unknown' ? reported : 'major_outage';
      else if (reported && reported !== 'unknown') state = reported;
      else if (!listsGiven) state = 'unknown';
      if (!state) continue;
      observations.push({
        exoPhoneSid: sid,
        phoneNumber: entry?.phoneNumber ?? null,
        direction,
        state,
        checkedAt: leg?.checkedAt ?? null,
        alternates: leg?.alternates ?? [],
      });
    }
  }
  return observations;
}
