import { timingSafeEqual } from 'node:crypto';

/** The Basic `Authorization` header value for a key and token. */
export function basicHeader(apiKey: string, apiToken: string): string {
  return `Basic ${Buffer.from(`${apiKey}:${apiToken}`).toString('base64')}`;
}

/** True when `header` carries exactly the expected credentials (constant-time comparison). */
export function hasCredentials(header: string | undefined, expected: string): boolean {
  if (header === undefined) return false;
  // The fast path is an exact match; the scheme is case-insensitive, so normalise it first.
  const normalised = header.replace(/^basic /i, 'Basic ');
  const a = Buffer.from(normalised);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
