import { toNationalForm } from '../support/phone-numbers';
import { parseIst } from '../support/time-format';
import { isEnded, type SimCall } from './call-record';
import { durationOf, priceOf } from './call-serializer';

/** One page of the bulk call list, before serialization. */
export interface CallPage {
  readonly calls: readonly SimCall[];
  readonly total: number;
  readonly pageSize: number;
  readonly firstPageUri: string;
  readonly prevPageUri: string | null;
  readonly nextPageUri: string | null;
}

const DAY_MS = 86_400_000;
const MAX_RANGE_MS = 31 * DAY_MS;
const CURSOR_KEYS = new Set(['Before', 'After']);

type Range = { gte?: number; lte?: number; gt?: number; lt?: number; eq?: number };

/**
 * Filters and pages the finished calls for `GET /v1/Accounts/<sid>/Calls[.json]` (ongoing calls are
 * never listed). Returns an error message for a 400 when a filter is out of bounds.
 */
export function queryCalls(
  all: readonly SimCall[],
  query: URLSearchParams,
  path: string,
  now: number,
  pricePerMinute: number,
): CallPage | { error: string } {
  const list = (key: string): string[] | undefined => {
    const raw = query.get(key);
    return raw === null || raw.trim() === ''
      ? undefined
      : raw
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
  };
  const sids = list('Sid');
  if (sids && sids.length > 100) return { error: 'Sid accepts at most 100 call SIDs' };
  const numbers: Record<string, Set<string> | undefined> = {};
  for (const key of ['To', 'From', 'PhoneNumber']) {
    const values = list(key);
    if (values && values.length > 5) return { error: `${key} accepts at most 5 numbers` };
    numbers[key] = values && new Set(values.map(toNationalForm));
  }
  const statuses = list('Status');
  const directions = list('Direction');
  const created = dateRange(query.get('DateCreated'), now);
  if ('error' in created) return created;
  const duration = numericRange(query.get('Duration'));
  const price = numericRange(query.get('Price'));
  if (duration === null || price === null)
    return { error: 'Duration and Price take gte:/lte:/gt:/lt:/eq: values, e.g. gte:10s;lte:45s' };
  const pageSize = query.get('PageSize') === null ? 50 : Number(query.get('PageSize'));
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
    return { error: 'PageSize must be from 1 to 100' };
  const sortBy = query.get('SortBy') ?? 'DateCreated:desc';
  if (sortBy !== 'DateCreated:asc' && sortBy !== 'DateCreated:desc')
    return { error: 'SortBy must be DateCreated:asc or DateCreated:desc' };
  const ascending = sortBy === 'DateCreated:asc';

  const matching = all.filter(
    (call) =>
      isEnded(call) &&
      (!sids || sids.includes(call.sid)) &&
      call.createdAt >= created.from &&
      call.createdAt <= created.to &&
      (!numbers.To || numbers.To.has(call.to)) &&
      (!numbers.From || numbers.From.has(call.from)) &&
      (!numbers.PhoneNumber || numbers.PhoneNumber.has(call.phoneNumberSid)) &&
      (!statuses || statuses.includes(call.status)) &&
      (!directions || directions.includes('outbound-api')) &&
      inRange(duration, durationOf(call)) &&
      inRange(price, Number(priceOf(call, pricePerMinute))),
  );
  if (!ascending) matching.reverse();

  const after = cursor(query.get('After'));
  const before = cursor(query.get('Before'));
  if (after === null || before === null)
    return { error: 'Before and After take the cursors of PrevPageUri and NextPageUri' };
  // Positions in the sort order: "after" a cursor is further along the page sequence.
  const isAfter = (call: SimCall, seq: number): boolean => (ascending ? call.seq > seq : call.seq < seq);
  let start = 0;
  let end = Math.min(pageSize, matching.length);
  if (after !== undefined) {
    start = firstIndex(matching, (call) => isAfter(call, after));
    end = Math.min(start + pageSize, matching.length);
  } else if (before !== undefined) {
    end = firstIndex(matching, (call) => call.seq === before || isAfter(call, before));
    start = Math.max(0, end - pageSize);
  }
  const page = matching.slice(start, end);

  const base = new URLSearchParams([...query].filter(([key]) => !CURSOR_KEYS.has(key)));
  const uri = (extra?: [string, string]): string => {
    const params = new URLSearchParams(base);
    if (extra) params.set(...extra);
    const text = params.toString();
    return text ? `${path}?${text}` : path;
  };
  const last = page[page.length - 1];
  return {
    calls: page,
    total: matching.length,
    pageSize,
    firstPageUri: uri(),
    prevPageUri: start > 0 && page.length > 0 ? uri(['Before', token(page[0].seq)]) : null,
    nextPageUri: last && end < matching.length ? uri(['After', token(last.seq)]) : null,
  };
}

function firstIndex(calls: readonly SimCall[], predicate: (call: SimCall) => boolean): number {
  const index = calls.findIndex(predicate);
  return index === -1 ? calls.length : index;
}

function token(seq: number): string {
  return Buffer.from(`calls:${seq}`).toString('base64url');
}

/** undefined when absent, null when not a cursor this simulator issued. */
function cursor(raw: string | null): number | undefined | null {
  if (raw === null || raw === '') return undefined;
  const match = /^calls:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

function dateRange(raw: string | null, now: number): { from: number; to: number } | { error: string } {
  if (raw === null || raw.trim() === '') return { from: now - MAX_RANGE_MS, to: now + DAY_MS };
  const range = parseOperators(raw, parseIst);
  if (!range || range.eq !== undefined)
    return { error: 'DateCreated takes gte:YYYY-MM-DD HH:mm:ss;lte:YYYY-MM-DD HH:mm:ss' };
  const from = range.gte ?? range.gt ?? (range.lte ?? range.lt ?? now) - MAX_RANGE_MS;
  const to = range.lte ?? range.lt ?? Math.min(now + DAY_MS, from + MAX_RANGE_MS);
  if (to < from) return { error: 'DateCreated: lte is before gte' };
  if (to - from > MAX_RANGE_MS) return { error: 'DateCreated: the range can be at most one month' };
  return { from, to };
}

function numericRange(raw: string | null): Range | undefined | null {
  if (raw === null || raw.trim() === '') return undefined;
  return parseOperators(raw, (value) =>
    /^\d+(\.\d+)?s?$/.test(value) ? Number(value.replace(/s$/, '')) : Number.NaN,
  );
}

function parseOperators(raw: string, parse: (value: string) => number): Range | null {
  const range: Range = {};
  for (const part of raw
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(gte|lte|gt|lt|eq):(.+)$/.exec(part);
    if (!match) return null;
    const value = parse(match[2].trim());
    if (Number.isNaN(value)) return null;
    range[match[1] as keyof Range] = value;
  }
  return range;
}

function inRange(range: Range | undefined, value: number): boolean {
  if (!range) return true;
  return (
    (range.gte === undefined || value >= range.gte) &&
    (range.lte === undefined || value <= range.lte) &&
    (range.gt === undefined || value > range.gt) &&
    (range.lt === undefined || value < range.lt) &&
    (range.eq === undefined || value === range.eq)
  );
}
