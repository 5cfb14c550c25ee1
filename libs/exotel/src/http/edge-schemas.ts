import { z } from 'zod';
import { ValidationFailedError } from '../errors/http-request.errors';
import {
  EXOTEL_SID_PATTERN,
  INT32_MAX,
  realExotelTime,
  realInstant,
  textProblem,
  unsafeTextIn,
  type EdgeViolation,
} from './edge-values';

// The zod pieces every webhook reads its fields with, so a value the database would refuse is
// refused at the edge with 400 (the same 400 for each of Exotel's retries) and never stored.

/** Text the database stores as sent: at most `max` characters, no NUL, no lone surrogate. */
export function safeText(max: number): z.ZodType<string> {
  return z
    .string({ error: 'must be text' })
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine((text, context) => {
      const problem = textProblem(text);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });
}

/** An Exotel identifier (CallSid, StreamSid, ExoPhone SID): text of Exotel's shape, never a number or `true`. */
export const exotelSid: z.ZodType<string> = z
  .string({ error: 'must be an Exotel SID (text)' })
  .regex(EXOTEL_SID_PATTERN, { error: 'must be an Exotel SID: 1-64 letters, digits, ".", "_" or "-"' });

/**
 * A whole count (seconds, a duration) as a number or numeric text, rounded, that fits an integer
 * column: negative, 2^31 and up, `1e308` and text that is no number are refused.
 */
export const int32Count: z.ZodType<number> = z
  .union([z.number(), z.string().regex(/^\s*\d+(?:\.\d+)?\s*$/)], { error: 'must be a whole number' })
  .transform((value) => Math.round(Number(value)))
  .pipe(
    z
      .number()
      .min(0, { error: 'must not be negative' })
      .max(INT32_MAX, { error: `must be at most ${INT32_MAX}` }),
  );

/** An RFC 3339 instant with its offset that is a real date (February 30 refused, not rolled over). */
export const isoInstant: z.ZodType<Date, string> = z
  .string({ error: 'must be an ISO 8601 instant' })
  .transform((text, context) => {
    const instant = realInstant(text);
    if (instant) return instant;
    context.addIssue({
      code: 'custom',
      message: 'must be a real ISO 8601 instant with its offset, such as 2026-06-01T10:00:00+05:30',
    });
    return z.NEVER;
  });

/**
 * Exotel's `YYYY-MM-DD HH:mm:ss` (India time) as an instant: null for Exotel's "not yet" times
 * (before 2000), refused when it is no real time.
 */
export const exotelTimeText: z.ZodType<Date | null, string> = z
  .string({ error: 'must be a time such as 2026-06-01 10:00:00' })
  .transform((text, context) => {
    const instant = realExotelTime(text);
    if (instant !== undefined) return instant;
    context.addIssue({
      code: 'custom',
      message: 'must be a real time such as 2026-06-01 10:00:00 (India time)',
    });
    return z.NEVER;
  });

/**
 * A form field read the way Exotel writes forms: trimmed, with '', `null` and the text "null"
 * read as absent (undefined); numbers and booleans from JSON bodies are kept as they are, so the
 * field's own schema decides whether it takes them.
 */
export function formField<T>(schema: z.ZodType<T>): z.ZodType<T | undefined> {
  return z.preprocess((value) => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' || trimmed === 'null' ? undefined : trimmed;
  }, schema.optional());
}

/** The violations of a failed parse, one per field. */
export function violationsOf(error: z.ZodError): EdgeViolation[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(body)';
    return { field, message: `${field} ${issue.message}` };
  });
}

/**
 * Reads a request value with `schema` after checking that no text in it (keys included) would
 * be refused by the database; throws `ValidationFailedError` naming every bad field.
 */
export function parseAtEdge<T>(schema: z.ZodType<T>, value: unknown): T {
  const unsafe = unsafeTextIn(value);
  if (unsafe) throw new ValidationFailedError([unsafe]);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationFailedError(violationsOf(parsed.error));
  return parsed.data;
}
