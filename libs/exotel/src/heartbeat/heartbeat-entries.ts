import { z } from 'zod';
import { EARLIEST_INSTANT, EXOTEL_SID_PATTERN, realInstant } from '../http/edge-values';
import { toAlternates } from '../exophones/exophone-health.types';

// The pieces of a heartbeat's `data` entries and affected lists, each checked before the heartbeat
// is acknowledged: a value the apply would choke on (a SID past its column, a date PostgreSQL
// cannot store, a name of Object.prototype) is refused with 400 at once, and Exotel's retries of
// it get the same 400, rather than a 200 followed by an apply that fails for good.

/**
 * An ExoPhone SID as Exotel writes them: Exotel's SID shape (1-64 letters, digits, `.`, `_`, `-`,
 * the width of the ExoPhone column) with at least one digit, since ExoPhone SIDs are derived from
 * their numbers (`01139585476`). Words such as `constructor` are not ExoPhones to sweep.
 */
export const exoPhoneSid = z
  .string({ error: 'must be an ExoPhone SID (text)' })
  .regex(EXOTEL_SID_PATTERN, { error: 'must be an ExoPhone SID: 1-64 letters, digits, ".", "_" or "-"' })
  .regex(/\d/, { error: 'must be an ExoPhone SID, which has digits' });

/** A phone number as Exotel writes them (`+918047491899`, `08047491899`), at most 20 characters. */
const phoneNumber = z
  .string({ error: 'must be a phone number (text)' })
  .regex(/^\+?\d[\d ()-]{0,19}$/, { error: 'must be a phone number such as +918047491899' })
  .max(20, { error: 'must be at most 20 characters' });

/** What `alternate_exophone` may name: an ExoPhone SID or a phone number ('' means none). */
const alternate = z.union([z.literal(''), exoPhoneSid, phoneNumber], {
  error: 'must be an ExoPhone SID or phone number',
});

/** Statuses are kept as text (an unknown one reads `unknown`), within the column's width. */
const status = z.string({ error: 'must be text' }).max(30, { error: 'must be at most 30 characters' });

/** One direction's connectivity as a heartbeat entry gives it. */
interface HeartbeatLeg {
  /** Exotel's status as sent (mapped to a health state when applied). */
  readonly status: string | null;
  /** Exotel's `last_check_time`. */
  readonly checkedAt: Date | null;
  readonly alternates: readonly string[];
}

/** What a heartbeat's `data` says about one ExoPhone. */
export interface HeartbeatEntry {
  readonly phoneNumber: string | null;
  readonly incoming: HeartbeatLeg | null;
  readonly outgoing: HeartbeatLeg | null;
}

/**
 * The zod schema of one `data` entry. `latest` bounds `last_check_time`: a check is not made after
 * the heartbeat reporting it (beyond the clock skew allowed), and nothing before 2000 is real.
 */
export function heartbeatEntrySchema(latest: number): z.ZodType<HeartbeatEntry> {
  const checkTime = z.string({ error: 'must be an RFC 3339 time (text)' }).transform((text, context) => {
    const instant = realInstant(text);
    if (instant && instant.getTime() >= EARLIEST_INSTANT && instant.getTime() <= latest) return instant;
    context.addIssue({
      code: 'custom',
      message: instant
        ? 'must not be after the heartbeat (beyond heartbeat.maxClockSkewMs)'
        : 'must be a real RFC 3339 time from 2000 on, such as 2018-08-22T15:19:00Z',
    });
    return z.NEVER;
  });
  const leg = z
    .object(
      {
        status: status.nullish(),
        last_check_time: checkTime.nullish(),
        alternate_exophone: z.union([alternate, z.array(alternate)]).nullish(),
      },
      { error: 'must be an object' },
    )
    .nullish()
    .transform((value): HeartbeatLeg | null =>
      value
        ? {
            status: value.status ?? null,
            checkedAt: value.last_check_time ?? null,
            alternates: toAlternates(value.alternate_exophone),
          }
        : null,
    );
  return z
    .object(
      {
        phone_number: phoneNumber.nullish(),
        connectivity: z
          .object({ incoming_call: leg, outgoing_call: leg }, { error: 'must be an object' })
          .nullish(),
        incoming_call: leg,
        outgoing_call: leg,
      },
      { error: 'each entry of data must be an object' },
    )
    .nullable()
    .transform((entry) => ({
      phoneNumber: entry?.phone_number ?? null,
      incoming: entry?.connectivity?.incoming_call ?? entry?.incoming_call ?? null,
      outgoing: entry?.connectivity?.outgoing_call ?? entry?.outgoing_call ?? null,
    }));
}

const PHONE_NUMBER = /^\+?\d[\d ()-]{0,19}$/;
const HAS_DIGIT = /\d/;

function isExoPhoneSid(value: string): boolean {
  return EXOTEL_SID_PATTERN.test(value) && HAS_DIGIT.test(value);
}

function isPhoneNumber(value: string): boolean {
  return value.length <= 20 && PHONE_NUMBER.test(value);
}

function isAlternate(value: unknown): boolean {
  return typeof value === 'string' && (value === '' || isExoPhoneSid(value) || isPhoneNumber(value));
}

/**
 * The same check as `heartbeatEntrySchema(latest)`, by hand, for the entries that pass it: a
 * 10 MB heartbeat has 50,000 of them and a schema library costs microseconds each. Resolves to
 * undefined whenever the entry is anything but plainly valid, and the schema then decides (and
 * names what is wrong). `instants` remembers the times already read in this heartbeat.
 */
export function quickHeartbeatEntry(
  raw: unknown,
  latest: number,
  instants: Map<string, Date | undefined>,
): HeartbeatEntry | undefined {
  if (raw === null) return { phoneNumber: null, incoming: null, outgoing: null };
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const entry = raw as Record<string, unknown>;
  const phone = entry.phone_number;
  if (phone !== undefined && phone !== null && (typeof phone !== 'string' || !isPhoneNumber(phone)))
    return undefined;
  const connectivity = entry.connectivity;
  let fromBlock: { incoming: HeartbeatLeg | null; outgoing: HeartbeatLeg | null } | undefined;
  if (connectivity !== undefined && connectivity !== null) {
    if (typeof connectivity !== 'object' || Array.isArray(connectivity)) return undefined;
    const block = connectivity as Record<string, unknown>;
    const incoming = quickLeg(block.incoming_call, latest, instants);
    const outgoing = quickLeg(block.outgoing_call, latest, instants);
    if (incoming === undefined || outgoing === undefined) return undefined;
    fromBlock = { incoming, outgoing };
  }
  const incoming = quickLeg(entry.incoming_call, latest, instants);
  const outgoing = quickLeg(entry.outgoing_call, latest, instants);
  if (incoming === undefined || outgoing === undefined) return undefined;
  return {
    phoneNumber: typeof phone === 'string' ? phone : null,
    incoming: fromBlock?.incoming ?? incoming,
    outgoing: fromBlock?.outgoing ?? outgoing,
  };
}

/** One leg checked by hand: null when absent, undefined when the schema must decide. */
function quickLeg(
  raw: unknown,
  latest: number,
  instants: Map<string, Date | undefined>,
): HeartbeatLeg | null | undefined {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const leg = raw as Record<string, unknown>;
  const status = leg.status;
  if (status !== undefined && status !== null && (typeof status !== 'string' || status.length > 30))
    return undefined;
  let checkedAt: Date | null = null;
  const checkTime = leg.last_check_time;
  if (checkTime !== undefined && checkTime !== null) {
    if (typeof checkTime !== 'string') return undefined;
    let instant = instants.get(checkTime);
    if (!instants.has(checkTime)) {
      instant = realInstant(checkTime);
      instants.set(checkTime, instant);
    }
    if (!instant || instant.getTime() < EARLIEST_INSTANT || instant.getTime() > latest) return undefined;
    checkedAt = instant;
  }
  const alternate = leg.alternate_exophone;
  if (alternate !== undefined && alternate !== null) {
    const plain = Array.isArray(alternate) ? alternate.every(isAlternate) : isAlternate(alternate);
    if (!plain) return undefined;
  }
  return {
    status: typeof status === 'string' ? status : null,
    checkedAt,
    alternates: toAlternates(alternate),
  };
}
