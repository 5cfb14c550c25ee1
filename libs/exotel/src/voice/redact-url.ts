/**
 * A URL safe to store or log: scheme, host and path only. Stream URLs carry tokens as Basic
 * credentials (`wss://user:pass@host`) or in the query (`?key=`), so both go. Text that is not a
 * URL becomes `[unparseable URL]`.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '[unparseable URL]';
  }
}
