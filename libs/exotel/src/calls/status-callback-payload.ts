import { DateTime } from 'luxon';
import { z } from 'zod';
import { ValidationFailedError } from '../errors/http-request.errors';
import {
  exotelSid,
  exotelTimeText,
  formField,
  int32Count,
  parseAtEdge,
  safeText,
  violationsOf,
} from '../http/edge-schemas';
import { EXOTEL_TIME, realExotelTime } from '../http/edge-values';
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

const MAX_LEGS = 10;

/** A status callback's fields, each fitting where it is stored (exotel_calls, exotel_call_callbacks). */
const callbackFields = z.object({
  CallSid: z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), exotelSid),
  EventType: formField(
    z
      .string()
      .transform((text) => text.toLowerCase())
      .pipe(z.enum(['answered', 'terminal'], { error: 'must be answered or terminal' })),
  ),
  Status: formField(safeText(20).transform((text) => text.toLowerCase())),
  Direction: formField(safeText(20)),
  From: formField(safeText(32)),
  To: formField(safeText(32)),
  CustomField: formField(safeText(256)),
  RecordingUrl: formField(safeText(1000)),
  ConversationDuration: formField(int32Count),
  EndTime: formField(exotelTimeText),
});

/** A leg's fields (JSON `Legs[i]`, or a form's `Legs[i][Field]`). */
const legFields = z.object({
  Status: z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : value),
    safeText(20).optional(),
  ),
  OnCallDuration: formField(int32Count),
  AnsweredBy: formField(safeText(40)),
});

/**
 * Reads a status callback from JSON (`Legs` as an array) or a form (`Legs[i][Field]` flattened).
 * Every field is checked before anything is stored: a CallSid of Exotel's shape (text, never
 * `true` or `-1`), text without NUL or lone surrogates that fits its column, counts that fit an
 * integer, real times. Throws `ValidationFailedError` naming each bad field, so Exotel's retries
 * of a bad callback get the same 400. Form bodies write nulls as the string `null`; those are
 * read as null.
 */
export function readStatusCallback(body: Record<string, unknown>): StatusCallback {
  const fields = parseAtEdge(callbackFields, body);
  const status = fields.Status ?? '';
  const rawEvent = fields.EventType ?? null;
  let eventType: 'answered' | 'terminal';
  if (rawEvent !== null) eventType = rawEvent;
  else if (TERMINAL_STATUSES.has(status)) eventType = 'terminal';
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
    callSid: fields.CallSid,
    eventType,
    eventKey:
      eventType === 'terminal' ? 'terminal' : legs.length > 0 ? `answered:${answeredLegs}` : 'answered',
    status: status || 'in-progress',
    direction: fields.Direction ?? null,
    from: fields.From ?? null,
    to: fields.To ?? null,
    customField: fields.CustomField ?? null,
    recordingUrl: fields.RecordingUrl ?? null,
    conversationSeconds: fields.ConversationDuration ?? null,
    legs,
    endedAt: fields.EndTime ?? null,
  };
}

/** Exotel's `YYYY-MM-DD HH:mm:ss` (India time) as an instant; null when unreadable or before 2000. */
export function exotelTime(value: string | null | undefined): Date | null {
  return value ? (realExotelTime(value) ?? null) : null;
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
  return Array.from(items, (leg, index) => {
    const parsed = legFields.safeParse(leg ?? {});
    if (!parsed.success) {
      throw new ValidationFailedError(
        violationsOf(parsed.error).map((v) => ({ field: `Legs[${index}].${v.field}`, message: v.message })),
      );
    }
    // '' is a leg still ringing (Exotel's first `answered`); the string 'null' is a form's null.
    const { Status: status, OnCallDuration: onCall, AnsweredBy: answeredBy } = parsed.data;
    return {
      status: status === undefined || status === 'null' ? null : status,
      onCallDurationSeconds: onCall ?? null,
      answeredBy: answeredBy ?? null,
    };
  });
}
