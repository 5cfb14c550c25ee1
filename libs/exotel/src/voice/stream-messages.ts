import { z } from 'zod';
import { exotelSid, safeText } from '../http/edge-schemas';
import { textProblem, unsafeTextIn } from '../http/edge-values';
import type { MediaFormatBlock } from './codecs/stream-audio-format';

/** Exotel's `start` event, with the fields the gateway uses (keys in either spelling). */
export interface StreamStartMessage {
  readonly event: 'start';
  readonly streamSid: string;
  readonly callSid: string;
  readonly accountSid: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly customParameters: Record<string, string>;
  readonly mediaFormat: MediaFormatBlock | undefined;
}

/** A parsed message from Exotel, or why it was skipped. */
export type StreamMessage =
  | { readonly event: 'connected' }
  | StreamStartMessage
  | {
      readonly event: 'media';
      readonly payload: Buffer;
      readonly chunk: number | null;
      readonly timestamp: number | null;
    }
  | { readonly event: 'dtmf'; readonly digit: string; readonly durationMs: number | null }
  | { readonly event: 'mark'; readonly name: string }
  | { readonly event: 'stop'; readonly reason: string }
  | { readonly event: 'malformed'; readonly problem: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Parses one text frame from Exotel, leniently as Exotel's own examples vary (`stream_sid` or
 * `streamSid`, numbers as strings or numbers, `payload` or `Payload`). Anything unusable comes
 * back as `malformed` with a reason that never quotes the frame (it may carry caller data).
 */
export function parseStreamMessage(data: string): StreamMessage {
  let message: Record<string, unknown>;
  try {
    const parsed = JSON.parse(data) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return malformed('not a JSON object');
    message = parsed as Record<string, unknown>;
  } catch {
    return malformed('not JSON');
  }
  const event = message.event;
  switch (event) {
    case 'connected':
      return { event };
    case 'start':
      return parseStart(message);
    case 'media': {
      const media = object(message.media);
      const payload = media.payload ?? media.Payload;
      if (typeof payload !== 'string') return malformed('media without a payload');
      if (payload.length % 4 !== 0 || !BASE64.test(payload)) return malformed('media payload is not base64');
      return {
        event,
        payload: Buffer.from(payload, 'base64'),
        chunk: numberOrNull(media.chunk),
        timestamp: numberOrNull(media.timestamp),
      };
    }
    case 'dtmf': {
      const dtmf = object(message.dtmf);
      const digit =
        typeof dtmf.digit === 'string'
          ? dtmf.digit
          : typeof dtmf.digit === 'number'
            ? String(dtmf.digit)
            : '';
      if (!/^[0-9*#A-Da-d]$/.test(digit)) return malformed('dtmf without a digit');
      return { event, digit, durationMs: numberOrNull(dtmf.duration) };
    }
    case 'mark': {
      const name = object(message.mark).name;
      if (typeof name !== 'string') return malformed('mark without a name');
      if (textProblem(name)) return malformed('mark name with a NUL or a lone surrogate');
      return { event, name };
    }
    case 'stop': {
      const reason = object(message.stop).reason;
      return { event, reason: typeof reason === 'string' && reason !== '' ? reason : 'stopped' };
    }
    default:
      return malformed(typeof event === 'string' ? `unknown event "${event.slice(0, 32)}"` : 'no event');
  }
}

/** What of a `start` is recorded, each field fitting its column (`exotel_voice_calls`). */
const startFields = z.object({
  streamSid: exotelSid,
  callSid: exotelSid,
  accountSid: safeText(64).nullable(),
  from: safeText(32).nullable(),
  to: safeText(32).nullable(),
});

function parseStart(message: Record<string, unknown>): StreamMessage {
  // Recorded and published: nothing in it may be text the database refuses.
  if (unsafeTextIn(message)) return malformed('start with a NUL or a lone surrogate in its text');
  const start = object(message.start);
  const streamSid =
    sid(start.stream_sid) ?? sid(start.streamSid) ?? sid(message.stream_sid) ?? sid(message.streamSid);
  const callSid = sid(start.call_sid) ?? sid(start.callSid);
  if (!streamSid || !callSid) return malformed('start without stream_sid or call_sid');
  const fields = startFields.safeParse({
    streamSid,
    callSid,
    accountSid: text(start.account_sid) ?? text(start.accountSid),
    from: text(start.from),
    to: text(start.to),
  });
  if (!fields.success) {
    const fieldNames = fields.error.issues.map((issue) => issue.path.join('.')).join(', ');
    return malformed(`start with fields that cannot be recorded (${fieldNames})`);
  }
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(object(start.custom_parameters ?? start.customParameters))) {
    if (typeof value === 'string' || typeof value === 'number') custom[key] = String(value);
  }
  const mediaFormat = start.media_format ?? start.mediaFormat;
  return {
    event: 'start',
    ...fields.data,
    customParameters: custom,
    mediaFormat: mediaFormat && typeof mediaFormat === 'object' ? mediaFormat : undefined,
  };
}

function malformed(problem: string): StreamMessage {
  return { event: 'malformed', problem };
}

function object(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** An identifier is text: a number or `true` is not one. */
function sid(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : null;
}
