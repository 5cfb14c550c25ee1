import { DateTime } from 'luxon';
import { ValidationFailedError } from '../errors/http-request.errors';
import type { CallLeg } from './call.entity';
import { TERMINAL_STATUSES } from './call-record';

/** A status callback, read and normalised. */
export interface StatusCallback {
  readonly callSid: string;
  readonly eventType: 'answered' | 'terminal';
  /**
   * Dedupe key with the CallSid: `terminal`, or `answered:<legs answered>` (Exotel sends one
   * `answered` per leg), or `answered` when the legs are not reported.
   */
  readonly eventKey: string;
  /** Exotel's `Status` (`in-progress`, `completed`, `busy`, `no-answer`, `failed`, `canceled`). */
  readonly status: string;
  readonly direction: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly customField: string | null;
  readonly recordingUrl: string | null;
  readonly conversationSeconds: number | null;
  readonly legs: CallLeg[];
  /** `EndTime` (IST in Exotel's format), as an instant. */
  readonly endedAt: Date | null;
}

const EXOTEL_TIME = 'yyyy-MM-dd HH:mm:ss';
const MAX_LEGS = 10;
/** Fields kept in columns of this size (exotel_calls, exotel_call_callbacks). */
const STORED_LENGTHS = { Status: 20, Direction: 20 } as const;

/**
 * Reads a status callback from JSON (`Legs` as an array) or a form (`Legs[i][Field]` flattened).
 * Throws `ValidationFailedError` naming the field when `CallSid` or the event cannot be read.
 * Form bodies write nulls as the string `null`; those are read as null.
 */
export function readStatusCallback(body: Record<string, unknown>): StatusCallback {
  const text = (key: string): string | null => {
    const s = scalar(body[key])?.trim();
    return s === undefined || s === '' || s === 'null' ? null : s;
  };
  const callSid = text('CallSid');
  if (!callSid || callSid.length > 64) {
    throw new ValidationFailedError([
      { field: 'CallSid', message: 'CallSid is required (at most 64 characters)' },
    ]);
  }
  // What is stored in bounded columns is refused when longer, never truncated into a 500.
  const tooLong = Object.entries(STORED_LENGTHS)
    .filter(([field, max]) => (text(field)?.length ?? 0) > max)
    .map(([field, max]) => ({ field, message: `${field} must be at most ${max} characters` }));
  if (tooLong.length > 0) throw new ValidationFailedError(tooLong);
  const status = (text('Status') ?? '').toLowerCase();
  const rawEvent = text('EventType')?.toLowerCase() ?? null;
  let eventType: 'answered' | 'terminal';
  if (rawEvent === 'answered' || rawEvent === 'terminal') eventType = rawEvent;
  else if (rawEvent !== null) {
    throw new ValidationFailedError([
      { field: 'EventType', message: 'EventType must be answered or terminal' },
    ]);
  } else if (TERMINAL_STATUSES.has(status)) eventType = 'terminal';
  else if (status === 'in-progress') eventType = 'answered';
  else {
    throw new ValidationFailedError([
      {
        field: 'Status',
        message: 'Status must be in-progress or a terminal status when EventType is absent',
      },
    ]);
  }
  if (eventType === 'terminal' && !TERMINAL_STATUSES.has(status)) {
    throw new ValidationFailedError([
      {
        field: 'Status',
        message: 'a terminal callback needs Status completed, failed, busy, no-answer or canceled',
      },
    ]);
  }
  const legs = readLegs(body);
  const answeredLegs = legs.filter(
    (leg) => leg.status === 'in-progress' || leg.status === 'completed',
  ).length;
  return {
    callSid,
    eventType,
    eventKey:
      eventType === 'terminal' ? 'terminal' : legs.length > 0 ? `answered:${answeredLegs}` : 'answered',
    status: status || 'in-progress',
    direction: text('Direction'),
    from: text('From'),
    to: text('To'),
    customField: text('CustomField'),
    recordingUrl: text('RecordingUrl'),
    conversationSeconds: seconds(text('ConversationDuration')),
    legs,
    endedAt: exotelTime(text('EndTime')),
  };
}

/** Exotel's `YYYY-MM-DD HH:mm:ss` (India time) as an instant; null when unreadable. */
export function exotelTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const parsed = DateTime.fromFormat(value, EXOTEL_TIME, { zone: 'Asia/Kolkata' });
  if (!parsed.isValid || parsed.year < 2000) return null;
  return parsed.toJSDate();
}

/** An instant in Exotel's `YYYY-MM-DD HH:mm:ss`, India time. */
export function toExotelTime(date: Date): string {
  return DateTime.fromJSDate(date, { zone: 'Asia/Kolkata' }).toFormat(EXOTEL_TIME);
}

function readLegs(body: Record<string, unknown>): CallLeg[] {
  const raw = body.Legs;
  const items: Record<string, unknown>[] = [];
  if (Array.isArray(raw)) {
    for (const item of (raw as unknown[]).slice(0, MAX_LEGS)) {
      // Exotel's call details wrap each as { Leg: {...} }; callbacks do not.
      const leg: unknown = item && typeof item === 'object' && 'Leg' in item ? item.Leg : item;
      if (leg && typeof leg === 'object') items.push(leg as Record<string, unknown>);
    }
  } else {
    for (const [key, value] of Object.entries(body)) {
      const match = /^Legs\[(\d+)\]\[(\w+)\]$/.exec(key);
      if (!match || Number(match[1]) >= MAX_LEGS) continue;
      const index = Number(match[1]);
      items[index] = { ...(items[index] ?? {}), [match[2]]: value };
    }
  }
  return Array.from(items, (leg) => {
    // '' is a leg still ringing (Exotel's first `answered`); the string 'null' is a form's null.
    const status = scalar(leg?.Status)?.trim() ?? null;
    const answeredBy = scalar(leg?.AnsweredBy) ?? null;
    return {
      status: status === 'null' ? null : status,
      onCallDurationSeconds: seconds(leg?.OnCallDuration),
      answeredBy: answeredBy === 'null' ? null : answeredBy,
    };
  });
}

function seconds(value: unknown): number | null {
  if (value === undefined || value === null || value === '' || value === 'null') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
}

/** Text of a scalar field; undefined for absent, null or nested values. */
function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
