const IST_OFFSET_MS = 5.5 * 60 * 60 * 1000;

/** Exotel's v1 date format, `YYYY-MM-DD HH:mm:ss` in India time (IST, UTC+05:30), with no zone. */
export function formatIst(epochMs: number): string {
  return new Date(epochMs + IST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses `YYYY-MM-DD HH:mm:ss` (IST) back to epoch milliseconds; NaN when malformed. */
export function parseIst(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, s) - IST_OFFSET_MS;
}

/** RFC 3339 in UTC without fractional seconds, as in Exotel's v2 and heartbeat payloads: `2018-08-22T15:19:23Z`. */
export function formatRfc3339(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
