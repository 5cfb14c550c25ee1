import { z } from 'zod';
import { exotelSid, safeText } from '../http/edge-schemas';
import { INT32_MAX, unsafeTextIn } from '../http/edge-values';
import { toE164 } from '../phone/phone-number';
import { redactUrl } from './redact-url';

/** Exotel's report of a bot stream, from the `Stream[...]` (or JSON `Stream=`) query of a Passthru. */
export interface PassthruStreamReport {
  readonly streamSid: string | null;
  /** `completed`, `failed`, `cancelled`... */
  readonly status: string | null;
  readonly durationSeconds: number | null;
  /** `user`, `bot` or `NA`. */
  readonly disconnectedBy: string | null;
  readonly recordingUrl: string | null;
  /** Without credentials or query (it may carry tokens). */
  readonly streamUrl: string | null;
  readonly error: string | null;
  readonly detailedStatus: string | null;
}

/**
 * A Passthru applet request (`GET /exotel/answer`), every field of Exotel's list. Exotel sends
 * "only some of this list … depending on what stage of the flow", so all but `callSid` may be null.
 */
export interface PassthruAnswer {
  readonly callSid: string;
  /** The caller for incoming calls, E.164 when it parses (raw otherwise). */
  readonly callFrom: string | null;
  /** The ExoPhone for incoming calls, the dialled number for outgoing ones. */
  readonly callTo: string | null;
  /** The older `From` / `To` names, as sent. */
  readonly from: string | null;
  readonly to: string | null;
  /** `incoming`, `inbound` or `outbound-dial`. */
  readonly direction: string | null;
  readonly created: string | null;
  readonly dialCallDuration: number | null;
  readonly startTime: string | null;
  readonly currentTime: string | null;
  /** Always `1970-01-01 05:30:00` in Passthru requests; kept as sent. */
  readonly endTime: string | null;
  /** `call-attempt`, `completed`, `client-hangup`, `incomplete`, `voicemail`. */
  readonly callType: string | null;
  /** Digits of a preceding Gather, without the double quotes Exotel wraps them in. */
  readonly digits: string | null;
  readonly recordingUrl: string | null;
  readonly dialWhomNumber: string | null;
  readonly customField: string | null;
  readonly flowId: string | null;
  /** Present when the Passthru follows a Voicebot/Stream applet. */
  readonly stream: PassthruStreamReport | null;
  /** Every query parameter except the webhook secret, as sent (for fields Exotel adds later). */
  readonly raw: Readonly<Record<string, string>>;
}

const STREAM_FIELDS = {
  StreamSID: 'streamSid',
  StreamSid: 'streamSid',
  Status: 'status',
  Duration: 'duration',
  DisconnectedBy: 'disconnectedBy',
  RecordingUrl: 'recordingUrl',
  StreamUrl: 'streamUrl',
  Error: 'error',
  DetailedStatus: 'detailedStatus',
} as const;

type StreamKey = (typeof STREAM_FIELDS)[keyof typeof STREAM_FIELDS];

/**
 * Reads a Passthru query string. Parsed here from the raw URL, not from the framework's query
 * object, so `Stream[Status]` is read the same whatever query parser the host configured.
 * Returns undefined when there is no CallSid.
 */
export function parsePassthruQuery(search: URLSearchParams): PassthruAnswer | undefined {
  const raw: Record<string, string> = {};
  for (const [key, value] of search) if (key !== 'key' && !(key in raw)) raw[key] = value;
  const text = (name: string): string | null => {
    const value = raw[name];
    return value === undefined || value.trim() === '' || value === 'null' ? null : value.trim();
  };
  const callSid = text('CallSid');
  if (!callSid) return undefined;
  return {
    callSid,
    callFrom: phone(text('CallFrom') ?? text('From')),
    callTo: phone(text('CallTo') ?? text('To')),
    from: text('From'),
    to: text('To'),
    direction: text('Direction'),
    created: text('Created'),
    dialCallDuration: count(text('DialCallDuration')),
    startTime: text('StartTime'),
    currentTime: text('CurrentTime'),
    endTime: text('EndTime'),
    callType: text('CallType'),
    digits: unquote(text('digits') ?? text('Digits')),
    recordingUrl: text('RecordingUrl'),
    dialWhomNumber: text('DialWhomNumber'),
    customField: text('CustomField'),
    flowId: text('flow_id') ?? text('FlowId'),
    stream: streamReport(raw),
    raw,
  };
}

const text = (max: number) => safeText(max).nullable();
const storedCount = z
  .number()
  .int()
  .min(0)
  .max(INT32_MAX, { error: `must be at most ${INT32_MAX}` })
  .nullable();

/** What of a Passthru request is stored, each field fitting its column (`exotel_voice_calls`). */
const storedPassthru = z.object({
  callSid: exotelSid,
  callFrom: text(32),
  callTo: text(32),
  direction: text(20),
  flowId: text(100),
  callType: text(30),
  digits: text(64),
  customField: text(256),
  recordingUrl: text(1000),
  dialCallDuration: storedCount,
  stream: z
    .object({
      streamSid: text(64),
      status: text(20),
      disconnectedBy: text(10),
      recordingUrl: text(1000),
      streamUrl: text(600),
      durationSeconds: storedCount,
    })
    .nullable(),
});

/** The query parameter each stored field comes from, for the 400's message. */
const QUERY_NAMES: Readonly<Record<string, string>> = {
  callSid: 'CallSid',
  callFrom: 'CallFrom',
  callTo: 'CallTo',
  direction: 'Direction',
  flowId: 'flow_id',
  callType: 'CallType',
  customField: 'CustomField',
  recordingUrl: 'RecordingUrl',
  dialCallDuration: 'DialCallDuration',
  'stream.streamSid': 'Stream[StreamSID]',
  'stream.status': 'Stream[Status]',
  'stream.disconnectedBy': 'Stream[DisconnectedBy]',
  'stream.recordingUrl': 'Stream[RecordingUrl]',
  'stream.streamUrl': 'Stream[StreamUrl]',
  'stream.durationSeconds': 'Stream[Duration]',
};

/**
 * Why a Passthru request cannot be recorded as it is, if so: a CallSid not of Exotel's shape, a
 * NUL or lone surrogate in any parameter, a field longer than its column, a count past an integer.
 */
export function passthruProblem(answer: PassthruAnswer): string | undefined {
  const unsafe = unsafeTextIn(answer.raw, 'query');
  if (unsafe) return `${unsafe.field}: ${unsafe.message}`;
  const parsed = storedPassthru.safeParse(answer);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return `${QUERY_NAMES[path] ?? path} ${issue.message}`;
    })
    .join('; ');
}

function streamReport(raw: Record<string, string>): PassthruStreamReport | null {
  const fields: Partial<Record<StreamKey, string>> = {};
  let found = false;
  // "Sometimes" Exotel sends the whole report as one JSON string: Stream={"StreamSID":...}.
  if (raw.Stream !== undefined) {
    try {
      const parsed = JSON.parse(raw.Stream) as unknown;
      if (parsed && typeof parsed === 'object') {
        for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
          const key = Object.hasOwn(STREAM_FIELDS, name)
            ? STREAM_FIELDS[name as keyof typeof STREAM_FIELDS]
            : undefined;
          if (key && value !== null && value !== undefined) {
            fields[key] = typeof value === 'string' ? value : JSON.stringify(value);
            found = true;
          }
        }
      }
    } catch {
      // Not JSON: ignore it; the bracketed form may still be there.
    }
  }
  for (const [name, key] of Object.entries(STREAM_FIELDS)) {
    const value = raw[`Stream[${name}]`];
    if (value !== undefined) {
      fields[key] = value;
      found = true;
    }
  }
  if (!found) return null;
  const value = (key: StreamKey): string | null => {
    const v = fields[key]?.trim();
    return v === undefined || v === '' || v === 'null' ? null : v;
  };
  const streamUrl = value('streamUrl');
  return {
    streamSid: value('streamSid'),
    status: value('status'),
    durationSeconds: count(value('duration')),
    disconnectedBy: value('disconnectedBy'),
    recordingUrl: value('recordingUrl'),
    streamUrl: streamUrl === null ? null : redactUrl(streamUrl),
    error: value('error'),
    detailedStatus: value('detailedStatus'),
  };
}

function unquote(value: string | null): string | null {
  if (value === null) return null;
  const stripped = value.replace(/^"+|"+$/g, '').trim();
  return stripped === '' ? null : stripped;
}

function count(value: string | null): number | null {
  if (value === null) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? Math.round(parsed) : null;
}

function phone(value: string | null): string | null {
  return value === null ? null : (toE164(value) ?? value);
}
