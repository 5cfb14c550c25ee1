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
