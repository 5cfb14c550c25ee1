import { DateTime } from 'luxon';

// What every value must be before it may reach the database. SQLite stores anything; PostgreSQL
// refuses a NUL in text and jsonb, a lone UTF-16 surrogate (not valid UTF-8), an integer past its
// column and a string past its varchar, each as an error that would otherwise surface as a 500.
// The webhooks' zod pieces (edge-schemas.ts) and the management API's validation pipe and
// decorators (exotel-validation.pipe.ts, edge-validators.ts) are all built on these predicates.

/** Largest value a PostgreSQL `integer` column holds. */
export const INT32_MAX = 2_147_483_647;

/**
 * Exotel's identifiers (CallSid, StreamSid, ExoPhone SID, account SID): letters and digits, with
 * `.`, `_` and `-` inside, 1 to 64 characters. A number or `true` is not one.
 */
export const EXOTEL_SID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Most levels of nesting a request value may have; deeper is never a real webhook. */
const MAX_DEPTH = 32;

/** A field of a request and what is wrong with it. */
export interface EdgeViolation {
  readonly field: string;
  readonly message: string;
}

const LONE_SURROGATE = /\p{Cs}/u;

/** What keeps this text out of the database (a NUL, a lone UTF-16 surrogate), if anything. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(text)) return 'must be valid UTF-8 (it has a lone UTF-16 surrogate)';
  return undefined;
}

/**
 * The first text anywhere in a parsed request value (keys included) that the database would
 * refuse, or a value nested deeper than any webhook is. `field` names where it is.
 */
export function unsafeTextIn(value: unknown, field = '(body)'): EdgeViolation | undefined {
  const stack: [unknown, string, number][] = [[value, field, 0]];
  while (stack.length > 0) {
    const [current, path, depth] = stack.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field: path, message: `${lastSegment(path)} ${problem}` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_DEPTH) return { field: path, message: `is nested more than ${MAX_DEPTH} levels deep` };
    for (const [key, inner] of Object.entries(current)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { field: path, message: `a field name ${keyProblem}` };
      stack.push([inner, path.startsWith('(') ? key : `${path}.${key}`, depth + 1]);
    }
  }
  return undefined;
}

/** RFC 3339 with an offset (a local time alone is ambiguous), four-digit years. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Earliest instant any field accepts: nothing this library records happened before 2000. */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
/** Latest instant any field accepts (the last of the four-digit years). */
const LATEST_INSTANT = Date.UTC(10_000, 0, 1) - 1;

/**
 * An ISO 8601 / RFC 3339 instant with its offset, as a Date, when it is a real one: February 30
 * and hour 24 are refused rather than rolled over, and so is anything before 2000.
 */
export function realInstant(text: string): Date | undefined {
  if (!RFC3339.test(text)) return undefined;
  const parsed = DateTime.fromISO(text, { setZone: true });
  if (!parsed.isValid) return undefined;
  const ms = parsed.toMillis();
  return ms >= EARLIEST_INSTANT && ms <= LATEST_INSTANT ? new Date(ms) : undefined;
}

/** Exotel's `YYYY-MM-DD HH:mm:ss`, India time. */
export const EXOTEL_TIME = 'yyyy-MM-dd HH:mm:ss';

/**
 * Exotel's `YYYY-MM-DD HH:mm:ss` (India time) as an instant: null for Exotel's "not yet" values
 * (before 2000, such as `1970-01-01 05:30:00`), undefined when it is no real time (February 30,
 * another format).
 */
export function realExotelTime(text: string): Date | null | undefined {
  const parsed = DateTime.fromFormat(text, EXOTEL_TIME, { zone: 'Asia/Kolkata' });
  if (!parsed.isValid) return undefined;
  return parsed.year < 2000 ? null : parsed.toJSDate();
}

function lastSegment(path: string): string {
  return path.split('.').at(-1) ?? path;
}
