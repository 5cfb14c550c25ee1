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
  // A 10 MB heartbeat has hundreds of thousands of strings: the walk builds no path and allocates
  // nothing until it meets a suspect, and only then walks again naming where it is.
  if (isPlainSafe(value, 0)) return undefined;
  return firstUnsafe(value, field);
}

/** Any NUL or surrogate (paired ones too, so emoji send a value down the exact walk). */
// eslint-disable-next-line no-control-regex -- the NUL is what it looks for
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

function isPlainSafe(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return !SUSPECT.test(value);
  if (value === null || typeof value !== 'object') return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const inner of value) if (!isPlainSafe(inner, depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (SUSPECT.test(key) || !isPlainSafe((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

function firstUnsafe(value: unknown, field: string): EdgeViolation | undefined {
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

/** RFC 3339 with an offset (a local time alone is ambiguous), four-digit years; its parts captured. */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/** Earliest instant any field accepts: nothing this library records happened before 2000. */
export const EARLIEST_INSTANT = Date.UTC(2000, 0, 1);
/** Latest instant any field accepts (the last of the four-digit years). */
const LATEST_INSTANT = Date.UTC(10_000, 0, 1) - 1;

/**
 * An ISO 8601 / RFC 3339 instant with its offset, as a Date, when it is a real one: February 30
 * and hour 24 are refused rather than rolled over, and so is anything before 2000. Fractions of a
 * millisecond are dropped. Parsed by hand: a heartbeat has one per ExoPhone and direction, and a
 * general date library costs microseconds each.
 */
export function realInstant(text: string): Date | undefined {
  const ms = instantMillis(text);
  return ms === undefined ? undefined : new Date(ms);
}

function instantMillis(text: string): number | undefined {
  const parts = RFC3339.exec(text);
  if (!parts) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(parts[i]));
  const second = parts[6] === undefined ? 0 : Number(parts[6]);
  const millis = parts[7] === undefined ? 0 : Number(parts[7].padEnd(3, '0').slice(0, 3));
  const offsetHours = parts[10] === undefined ? 0 : Number(parts[10]);
  const offsetMinutes = parts[11] === undefined ? 0 : Number(parts[11]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const sign = parts[9] === '-' ? -1 : 1;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const ms = local - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return ms >= EARLIEST_INSTANT && ms <= LATEST_INSTANT ? ms : undefined;
}

function daysIn(year: number, month: number): number {
  // Day 0 of the next month is the last of this one (Date.UTC maps years 0-99 to 1900-1999, but
  // only years from 1999 on can pass the range check above).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
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
