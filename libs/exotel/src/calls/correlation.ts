import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 16;
const PATTERN = /^([0-9A-HJKMNP-TV-Z]{16})(?::([\s\S]*))?$/;

/** Exotel's limit on `CustomField`. */
const CUSTOM_FIELD_LIMIT = 128;

/** Room left for the caller's own CustomField once the correlation id and its separator are in. */
export const USER_CUSTOM_FIELD_LIMIT = CUSTOM_FIELD_LIMIT - LENGTH - 1;

/** A new correlation id: 16 Crockford base32 characters (80 random bits). */
export function newCorrelationId(): string {
  const bytes = randomBytes(LENGTH);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 31];
  return id;
}

/**
 * The `CustomField` sent to Exotel: the correlation id, then `:` and the caller's own value when
 * there is one. Exotel returns it in the terminal status callback (and to Passthru applets).
 */
export function composeCustomField(correlationId: string, userValue: string | null | undefined): string {
  return userValue === undefined || userValue === null || userValue === ''
    ? correlationId
    : `${correlationId}:${userValue}`;
}

/** Splits a `CustomField` written by `composeCustomField`; null when it is not one of ours. */
export function parseCustomField(
  value: string | null | undefined,
): { correlationId: string; userValue: string | null } | null {
  if (typeof value !== 'string') return null;
  const match = PATTERN.exec(value.trim());
  return match ? { correlationId: match[1], userValue: match[2] ?? null } : null;
}
