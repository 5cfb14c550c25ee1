import fc from 'fast-check';
import {
  formEncode,
  multipartBody,
  mutated,
  mutatedText,
  nastyText,
  nastyValue,
  wrongContentType,
} from './adversarial-inputs';

/** One HTTP request the fuzz suite sends. */
export interface FuzzRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query, without the webhook key (added for webhooks). */
  readonly path: string;
  readonly contentType?: string;
  readonly body?: string | Buffer;
  /** A webhook: the secret goes in `?key=`; otherwise the management API's Bearer key. */
  readonly webhook: boolean;
  readonly headers?: Record<string, string>;
}

/** A named family of generated requests. */
export interface FuzzTarget {
  readonly name: string;
  readonly requests: fc.Arbitrary<FuzzRequest>;
}

const hex = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** Raw path segments and query text that percent-decoding refuses or decodes to control characters. */
const rawEscapes = fc.constantFrom('%ED%A0%80', '%00', '%FF%FE', '%', '%E0%80', '..', '%2e%2e', 'a%00b');

/** UTF-8 percent-encoding of any text (a lone surrogate becomes U+FFFD, as every client sends it). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9._~-]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

const segment = fc.oneof(nastyText.map(percentEncode), rawEscapes, hex(26));

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();

function callbackBase(sid: string): Record<string, unknown> {
  return {
    CallSid: sid,
    EventType: 'terminal',
    Status: 'completed',
    Direction: 'outbound-api',
    From: '09876543210',
    To: '08047491899',
    CustomField: 'fuzz-order',
    RecordingUrl: 'https://recordings.example.com/r.mp3',
    ConversationDuration: 20,
    StartTime: '2026-06-01 10:00:00',
    EndTime: '2026-06-01 10:00:20',
    Legs: [{ Status: 'completed', OnCallDuration: 20, AnsweredBy: 'human' }],
  };
}

function flatCallbackBase(sid: string): Record<string, string> {
  const { Legs: _legs, ...rest } = callbackBase(sid);
  return {
    ...(Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)])) as Record<string, string>),
    'Legs[0][Status]': 'completed',
    'Legs[0][OnCallDuration]': '20',
    'Legs[1][Status]': 'no-answer',
  };
}

function passthruBase(sid: string): Record<string, string> {
  return {
    CallSid: sid,
    CallFrom: '09876543210',
    CallTo: '08047491899',
    Direction: 'incoming',
    Created: 'Mon, 01 Jun 2026 10:00:00',
    DialCallDuration: '0',
    StartTime: '2026-06-01 10:00:00',
    CurrentTime: '2026-06-01 10:00:31',
    CallType: 'call-attempt',
    digits: '"123"',
    RecordingUrl: 'https://recordings.example.com/r.mp3',
    CustomField: 'order-42',
    flow_id: 'voicebot-flow-1',
    'Stream[StreamSID]': 'stream-1',
    'Stream[Status]': 'completed',
    'Stream[Duration]': '28',
    'Stream[StreamUrl]': 'wss://stream.example.com/media',
    'Stream[DisconnectedBy]': 'bot',
    Stream: '{"StreamSID":"stream-2","Status":"failed","Duration":3}',
  };
}

const json = (path: string, body: fc.Arbitrary<unknown>, webhook = false): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: body.map((b) => ({
        method: 'POST' as const,
        path,
        webhook,
        contentType: 'application/json',
        body: JSON.stringify(b),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(body, wrongContentType).map(([b, contentType]) => ({
        method: 'POST' as const,
        path,
        webhook,
        contentType,
        body: JSON.stringify(b) ?? '',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({
        method: 'POST' as const,
        path,
        webhook,
        contentType: 'application/json',
        body: text,
      })),
    },
  );

const query = (path: string, base: Record<string, string>, webhook = false): fc.Arbitrary<FuzzRequest> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: mutatedText(base).map((fields) => ({
        method: 'GET' as const,
        path: `${path}?${formEncode(fields)}`,
        webhook,
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...Object.keys(base)), rawEscapes)
        .map(([k, raw]) => ({ method: 'GET' as const, path: `${path}?${k}=${raw}`, webhook })),
    },
  );

const STATUS = '/exotel/callback/status';

/** Every webhook and management route, each with its own generator of bad requests. */
export function fuzzTargets(ids: { ticketId: string; incidentId: string; callId: string }): FuzzTarget[] {
  const callback = hex(32).chain((sid) => mutated(callbackBase(sid), nastyValue));
  const flatCallback = hex(32).chain((sid) => mutatedText(flatCallbackBase(sid)));
  const ticketAction = fc.constantFrom('acknowledge', 'respond', 'pause', 'resume', 'resolve');
  const incidentAction = fc.constantFrom('resolve', 'notes', 'rca', 'reclassify');
  const incidentBody = mutated(
    {
      note: 'n',
      text: 'seen',
      summary: 'fibre cut',
      url: 'https://rca.example.com/1',
      origin: 'exotel',
      planned: false,
      reason: 'confirmed',
    },
    nastyValue,
  );
  return [
    { name: 'status callback (JSON)', requests: json(STATUS, callback, true) },
    {
      name: 'status callback (urlencoded)',
      requests: flatCallback.map((fields) => ({
        method: 'POST',
        path: STATUS,
        webhook: true,
        contentType: 'application/x-www-form-urlencoded',
        body: formEncode(fields),
      })),
    },
    {
      name: 'status callback (multipart)',
      requests: flatCallback.map((fields) => ({
        method: 'POST',
        path: STATUS,
        webhook: true,
        ...multipartBody(fields),
      })),
    },
    {
      name: 'passthru answer',
      requests: hex(32).chain((sid) => query('/exotel/answer', passthruBase(sid), true)),
    },
    {
      name: 'dial-up',
      requests: fc
        .tuple(query('/exotel/dial-up', { CallSid: 'abc123' }, true), fc.option(nastyText.map(percentEncode)))
        .map(([request, version]) => ({
          ...request,
          headers:
            version === null
              ? undefined
              : { 'Exotel-Version': decodeURIComponent(version).replace(/[^\x20-\x7e]/g, '?') },
        })),
    },
    {
      name: 'POST /calls',
      requests: json(
        '/calls',
        fc.oneof(
          mutated(
            {
              from: '09876543210',
              to: '09812345678',
              wait: false,
              timeLimit: 60,
              timeOut: 30,
              customField: 'x',
              purpose: 'transactional',
              record: false,
              callerId: '08047491899',
            },
            nastyValue,
          ),
          mutated(
            { from: '09876543210', streamUrl: 'wss://bot.example.com/media', streamName: 'bot', wait: false },
            nastyValue,
          ),
          mutated(
            {
              from: '09876543210',
              appletId: '123456',
              template: 'onboarding',
              wait: false,
              recordingChannels: 'dual',
            },
            nastyValue,
          ),
        ),
      ),
    },
    {
      name: 'GET /calls',
      requests: fc.oneof(
        query('/calls', { status: 'completed', outcome: 'initiated', callSid: 'abc', limit: '10' }),
        segment.map((s) => ({ method: 'GET' as const, path: `/calls/${s}`, webhook: false })),
        fc.constant({ method: 'GET' as const, path: `/calls/${ids.callId}`, webhook: false }),
      ),
    },
    {
      name: 'tickets',
      requests: fc.oneof(
        json(
          '/tickets',
          mutated(
            {
              title: 'Calls fail',
              severity: 2,
              plan: 'sme',
              openedAt: ago(3_600_000),
              incident: { id: 'inc-1', kind: 'outage' },
              thirdPartySla: { integration: 'crm', acknowledgementMinutes: 30, responseMinutes: 120 },
            },
            nastyValue,
          ),
        ),
        query('/tickets', { status: 'open', severity: '2', incidentId: 'inc-1', limit: '5' }),
        fc.tuple(fc.oneof(fc.constant(ids.ticketId), segment), ticketAction).map(([id, action]) => ({
          method: 'POST' as const,
          path: `/tickets/${id}/${action}`,
          webhook: false,
        })),
        segment.map((s) => ({ method: 'GET' as const, path: `/tickets/${s}`, webhook: false })),
      ),
    },
    {
      name: 'incidents',
      requests: fc.oneof(
        json(
          '/incidents',
          mutated(
            {
              scope: 'region:KA',
              kind: 'outage',
              title: 'KA down',
              note: 'n',
              origin: 'operator',
              planned: false,
            },
            nastyValue,
          ),
        ),
        query('/incidents', { status: 'open', scope: 'exotel', limit: '5' }),
        fc
          .tuple(fc.oneof(fc.constant(ids.incidentId), segment), incidentAction)
          .chain(([id, action]) => json(`/incidents/${id}/${action}`, incidentBody)),
        segment.map((s) => ({ method: 'GET' as const, path: `/incidents/${s}`, webhook: false })),
      ),
    },
    {
      name: 'maintenance windows',
      requests: fc.oneof(
        json(
          '/maintenance-windows',
          mutated(
            {
              scope: 'region:KA',
              startsAt: ahead(3_600_000),
              endsAt: ahead(7_200_000),
              source: 'operator',
              description: 'fibre work',
            },
            nastyValue,
          ),
        ),
        query('/maintenance-windows', { state: 'upcoming', limit: '5' }),
      ),
    },
    {
      name: 'exophones',
      requests: fc.oneof(
        query('/exophones', { limit: '5' }),
        segment.map((s) => ({ method: 'GET' as const, path: `/exophones/${s}`, webhook: false })),
      ),
    },
  ];
}
