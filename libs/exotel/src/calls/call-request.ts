import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { toE164 } from '../phone/phone-number';
import { CallRequestError, PromotionalCallOutsideHoursError } from './call.errors';
import { USER_CUSTOM_FIELD_LIMIT } from './correlation';
import { promotionalHoursClosed } from './trai-hours';

/** Why a call is placed: TRAI allows promotional calls only 09:00-21:00 India time. */
export type CallPurpose = 'transactional' | 'promotional';

/** What `CallsService.connect()` is asked to do. Give exactly one target: `to`, a flow or a stream. */
export interface ConnectCallInput {
  /** Number dialled first: E.164, or an Indian number in national form (`9876543210`, `09876543210`). */
  readonly from: string;
  /** Two-number mode: the number bridged once `from` answers. */
  readonly to?: string;
  /** Flow mode: the applet (app) id of the flow. */
  readonly appletId?: string;
  /** Flow mode: a template name; its `applets.templates` id, else `applets.defaultAppId`. */
  readonly template?: string;
  /** Flow mode: the full flow URL (`http://my.exotel.com/<sid>/exoml/start_voice/<app_id>`). */
  readonly flowUrl?: string;
  /** Voice AI mode: `ws://` or `wss://` URL the call streams to (under 600 characters). */
  readonly streamUrl?: string;
  /** Name of the stream (at most 32 characters). */
  readonly streamName?: string;
  /** ExoPhone (SID or number) shown to the callee; failover may pick another. @default calls.defaultCallerId */
  readonly callerId?: string;
  /** Longest call, in seconds (Exotel: at most 14,400). */
  readonly timeLimit?: number;
  /** Ring time per leg, in seconds. */
  readonly timeOut?: number;
  /** WAV played to `from` while `to` rings. */
  readonly waitUrl?: string;
  readonly record?: boolean;
  readonly recordingChannels?: 'single' | 'dual';
  readonly recordingFormat?: 'mp3' | 'mp3-hq';
  /** Your own value, returned by Exotel with the terminal callback; at most 111 characters (the correlation id takes the rest of Exotel's 128). */
  readonly customField?: string;
  /** @default 'transactional' */
  readonly purpose?: CallPurpose;
}

/** A checked call request, numbers in E.164. */
export interface PreparedCall {
  readonly mode: 'connect' | 'flow' | 'stream';
  readonly from: string;
  readonly to?: string;
  readonly url?: string;
  readonly streamUrl?: string;
  readonly streamName?: string;
  /** What is stored and shown as the target of flow and stream calls (never a stream URL's query). */
  readonly target: string | null;
  readonly callerIdRef: string;
  readonly purpose: CallPurpose;
  readonly customField: string | null;
  /** The call's options, checked: the record keeps them all, Calls/connect is sent all but `template`. */
  readonly parameters: Readonly<Pick<ConnectCallInput, 'timeLimit' | 'timeOut' | PassedThrough>>;
}

/** The options of `ConnectCallInput` kept as given once checked. */
const PASSED_THROUGH = ['waitUrl', 'record', 'recordingChannels', 'recordingFormat', 'template'] as const;
type PassedThrough = (typeof PASSED_THROUGH)[number];

const MAX_TIME_LIMIT = 14_400;
const MAX_STREAM_URL = 600;
const MAX_STREAM_NAME = 32;

/**
 * Checks and normalises a call request, throwing `CallRequestError` (a stable code per reason) or
 * `PromotionalCallOutsideHoursError` (at `now`; pass null to leave the hours to the caller, as the
 * call queue does: it waits for them instead). Nothing is recorded or sent before it passes.
 */
export function prepareCall(
  input: ConnectCallInput,
  options: Pick<ResolvedExotelOptions, 'calls' | 'applets' | 'credentials'>,
  now: Date | null,
): PreparedCall {
  const from = phone(input.from, 'from');
  const flowSelectors = (['appletId', 'template', 'flowUrl'] as const).filter((k) => present(input[k]));
  const targets = [
    ...(present(input.to) ? ['to'] : []),
    ...flowSelectors,
    ...(present(input.streamUrl) ? ['streamUrl'] : []),
  ];
  if (targets.length === 0) {
    throw new CallRequestError(
      'CALL_TARGET_MISSING',
      'to',
      'Say what to connect `from` to: `to` (a number), a flow (`appletId`, `template` or `flowUrl`) or `streamUrl`.',
    );
  }
  if (targets.length > 1) {
    throw new CallRequestError(
      'CALL_TARGET_CONFLICT',
      targets[1],
      `Give exactly one target; got ${targets.join(' and ')}. A call connects \`from\` to a number, a flow or a stream, not several.`,
    );
  }
  const purpose = input.purpose ?? 'transactional';
  oneOf(purpose, 'purpose', ['transactional', 'promotional']);
  if (purpose === 'promotional' && now !== null) checkPromotionalHours(now);

  const timeLimit = wholeSeconds(input.timeLimit, 'timeLimit', MAX_TIME_LIMIT, 'TIME_LIMIT_OUT_OF_RANGE');
  const timeOut = wholeSeconds(input.timeOut, 'timeOut', MAX_TIME_LIMIT, 'TIME_OUT_OUT_OF_RANGE');
  const customField = input.customField ?? null;
  if (customField !== null && customField.length > USER_CUSTOM_FIELD_LIMIT) {
    throw new CallRequestError(
      'CUSTOM_FIELD_TOO_LONG',
      'customField',
      `customField is ${customField.length} characters; at most ${USER_CUSTOM_FIELD_LIMIT} fit (Exotel takes 128, ` +
        'and the correlation id that reconciles the call uses the rest).',
    );
  }
  const callerIdRef = input.callerId?.trim() || options.calls.defaultCallerId;
  if (!callerIdRef) {
    throw new CallRequestError(
      'CALLER_ID_REQUIRED',
      'callerId',
      'Give callerId (one of your ExoPhones), or set calls.defaultCallerId.',
    );
  }
  oneOf(input.recordingChannels, 'recordingChannels', ['single', 'dual']);
  oneOf(input.recordingFormat, 'recordingFormat', ['mp3', 'mp3-hq']);
  if (input.waitUrl !== undefined && !isUrl(input.waitUrl, ['http:', 'https:'])) {
    throw new CallRequestError(
      'INVALID_CALL_OPTION',
      'waitUrl',
      'waitUrl must be an http(s) URL of a WAV file.',
    );
  }
  const passedThrough = Object.fromEntries(PASSED_THROUGH.map((key) => [key, input[key]]));
  const parameters = { timeLimit, timeOut, ...(passedThrough as Pick<ConnectCallInput, PassedThrough>) };
  const common = { from, callerIdRef, purpose, customField, parameters };

  if (present(input.to)) return { ...common, mode: 'connect', to: phone(input.to, 'to'), target: null };
  if (present(input.streamUrl)) {
    const streamUrl = input.streamUrl.trim();
    if (!isUrl(streamUrl, ['ws:', 'wss:']) || streamUrl.length >= MAX_STREAM_URL) {
      throw new CallRequestError(
        'INVALID_STREAM_URL',
        'streamUrl',
        `streamUrl must be a ws:// or wss:// URL shorter than ${MAX_STREAM_URL} characters.`,
      );
    }
    if (input.streamName !== undefined && input.streamName.length > MAX_STREAM_NAME) {
      throw new CallRequestError(
        'INVALID_CALL_OPTION',
        'streamName',
        `streamName must be at most ${MAX_STREAM_NAME} characters.`,
      );
    }
    const parsed = new URL(streamUrl);
    return {
      ...common,
      mode: 'stream',
      streamUrl,
      streamName: input.streamName,
      target: `${parsed.protocol}//${parsed.host}${parsed.pathname}`.slice(0, 300),
    };
  }
  if (present(input.flowUrl)) {
    const url = input.flowUrl.trim();
    if (!isUrl(url, ['http:', 'https:'])) {
      throw new CallRequestError(
        'INVALID_FLOW_URL',
        'flowUrl',
        'flowUrl must be an http(s) URL such as http://my.exotel.com/<sid>/exoml/start_voice/<app_id>.',
      );
    }
    return { ...common, mode: 'flow', url, target: url.slice(0, 300) };
  }
  const appId = resolveAppletId(input.appletId, input.template, options);
  return {
    ...common,
    mode: 'flow',
    url: flowUrlOf(options.credentials.accountSid, appId),
    target: appId,
  };
}

/**
 * The applet (app) id of a flow call: the one given, else the template's `applets.templates` entry
 * (a per-template `applet_app_id` takes precedence), else `applets.defaultAppId`
 * (`EXOTEL_TEMPLATE_APPLET_APP_ID`).
 */
function resolveAppletId(
  appletId: string | undefined,
  template: string | undefined,
  options: Pick<ResolvedExotelOptions, 'applets'>,
): string {
  if (present(appletId)) {
    if (!/^\d+$/.test(appletId.trim())) {
      throw new CallRequestError(
        'INVALID_CALL_OPTION',
        'appletId',
        'appletId must be the numeric app id from App Bazaar.',
      );
    }
    return appletId.trim();
  }
  // Own keys only: a template named `toString` or `__proto__` is no configured template.
  const templates = options.applets.templates;
  const byTemplate =
    template !== undefined && Object.hasOwn(templates, template) ? templates[template] : undefined;
  const id = byTemplate ?? options.applets.defaultAppId;
  if (!id) {
    throw new CallRequestError(
      'NO_APPLET_CONFIGURED',
      'template',
      `No applet is configured for template ${JSON.stringify(template ?? '')} and there is no default; ` +
        'set applets.defaultAppId (EXOTEL_TEMPLATE_APPLET_APP_ID) or applets.templates, or pass appletId.',
    );
  }
  return id;
}

/** Exotel's flow URL for an app id. */
function flowUrlOf(accountSid: string, appId: string): string {
  return `http://my.exotel.com/${encodeURIComponent(accountSid)}/exoml/start_voice/${appId}`;
}

/** Refuses a promotional call outside 09:00-21:00 Asia/Kolkata (half-open). */
function checkPromotionalHours(now: Date): void {
  const closed = promotionalHoursClosed(now);
  if (closed) throw new PromotionalCallOutsideHoursError(closed.local);
}

/** Refuses a value outside `allowed` (`field must be a or b.`); `undefined` is no value. */
function oneOf(value: string | undefined, field: string, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw new CallRequestError('INVALID_CALL_OPTION', field, `${field} must be ${allowed.join(' or ')}.`);
  }
}

function phone(value: string | undefined, field: string): string {
  const e164 = toE164(value);
  if (!e164) {
    throw new CallRequestError(
      'INVALID_PHONE_NUMBER',
      field,
      `${field} ${JSON.stringify(value ?? '')} is not a valid phone number; use E.164 (+919876543210) or an Indian number (9876543210).`,
    );
  }
  return e164;
}

function wholeSeconds(
  value: number | undefined,
  field: string,
  max: number,
  code: 'TIME_LIMIT_OUT_OF_RANGE' | 'TIME_OUT_OUT_OF_RANGE',
): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new CallRequestError(
      code,
      field,
      `${field} must be a whole number of seconds from 1 to ${max}; got ${value}.`,
    );
  }
  return value;
}

function present(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isUrl(value: string, protocols: string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol);
  } catch {
    return false;
  }
}
