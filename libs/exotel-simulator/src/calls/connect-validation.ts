import type { FormFields } from '../http/form-fields';
import { looksLikePhoneNumber } from '../support/phone-numbers';
import type { ConnectParams } from './call-record';

/** A rejected Calls/connect request: Exotel answers 400 with this message. */
export interface ConnectRejection {
  readonly message: string;
}

const MAX_TIME_LIMIT = 14_400;
const MAX_CUSTOM_FIELD = 128;
const MAX_STREAM_URL = 600;
const MAX_STREAM_NAME = 32;
const EVENTS = new Set(['terminal', 'answered', 'ringing']);
const CONTENT_TYPES = new Set(['multipart/form-data', 'application/json']);

/**
 * Validates a Calls/connect form the way exotel-api.md §2 describes (the exact 400 messages are not
 * published; these say what is wrong). `isExoPhone` tells whether a CallerId belongs to the account.
 */
export function validateConnect(
  form: FormFields,
  isExoPhone: (callerId: string) => boolean,
): ConnectParams | ConnectRejection {
  const text = (key: string): string | undefined => {
    const value = form.get(key)?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const from = text('From');
  const callerId = text('CallerId');
  const to = text('To');
  const url = text('Url');
  const streamUrl = text('StreamUrl');
  const streamType = text('StreamType');
  if (!from) return reject('Missing parameter From: the number to dial first');
  if (!looksLikePhoneNumber(from)) return reject(`From "${from}" is not a valid phone number`);
  if (!callerId) return reject('Missing parameter CallerId: one of your ExoPhones');
  if (!isExoPhone(callerId)) return reject('CallerId is not a valid ExoPhone');

  const modes = [to, url, streamUrl].filter((value) => value !== undefined).length;
  if (modes !== 1) {
    return reject(
      'Exactly one of To (connect two numbers), Url (connect to a flow) or StreamUrl (Voice AI) is required',
    );
  }
  if (to !== undefined && !looksLikePhoneNumber(to)) return reject(`To "${to}" is not a valid phone number`);
  if (url !== undefined && !/^https?:\/\/\S+$/i.test(url)) return reject('Url must be an http(s) flow URL');
  if (streamUrl !== undefined) {
    if (!/^wss?:\/\/\S+$/i.test(streamUrl)) return reject('StreamUrl must start with ws:// or wss://');
    if (streamUrl.length >= MAX_STREAM_URL)
      return reject(`StreamUrl must be shorter than ${MAX_STREAM_URL} characters`);
    if (streamType !== 'bidirectional')
      return reject('StreamType must be bidirectional when StreamUrl is set');
  }
  const streamName = text('StreamName');
  if (streamName !== undefined && streamName.length > MAX_STREAM_NAME) {
    return reject(`StreamName must be at most ${MAX_STREAM_NAME} characters`);
  }

  const callType = text('CallType');
  if (callType === 'promo') return reject('CallType promo is no longer supported; use trans');
  if (callType !== undefined && callType !== 'trans') return reject('CallType must be trans');

  const timeLimit = positiveInt(text('TimeLimit'));
  if (timeLimit === null || (timeLimit !== undefined && timeLimit > MAX_TIME_LIMIT)) {
    return reject(`TimeLimit must be a whole number of seconds from 1 to ${MAX_TIME_LIMIT}`);
  }
  const timeOut = positiveInt(text('TimeOut'));
  if (timeOut === null) return reject('TimeOut must be a whole number of seconds');

  const record = text('Record')?.toLowerCase();
  if (record !== undefined && !['true', 'false'].includes(record))
    return reject('Record must be true or false');
  const recordingChannels = text('RecordingChannels');
  if (recordingChannels !== undefined && !['single', 'dual'].includes(recordingChannels)) {
    return reject('RecordingChannels must be single or dual');
  }
  const recordingFormat = text('RecordingFormat');
  if (recordingFormat !== undefined && !['mp3', 'mp3-hq'].includes(recordingFormat)) {
    return reject('RecordingFormat must be mp3 or mp3-hq');
  }
  const customField = form.get('CustomField');
  if (customField !== undefined && customField.length > MAX_CUSTOM_FIELD) {
    return reject(`CustomField must be at most ${MAX_CUSTOM_FIELD} characters`);
  }
  const statusCallback = text('StatusCallback');
  if (statusCallback !== undefined && !/^https?:\/\/\S+$/i.test(statusCallback)) {
    return reject('StatusCallback must be an http(s) URL');
  }
  const contentType = text('StatusCallbackContentType') ?? 'multipart/form-data';
  if (!CONTENT_TYPES.has(contentType)) {
    return reject('StatusCallbackContentType must be multipart/form-data or application/json');
  }
  let events: string[] | undefined;
  if (form.has('StatusCallbackEvents')) {
    events = form
      .getAll('StatusCallbackEvents')
      .map((event) => event.trim())
      .filter((event) => event !== '');
    const unknown = events.find((event) => !EVENTS.has(event));
    if (unknown !== undefined)
      return reject(`StatusCallbackEvents: unknown event "${unknown}" (use terminal, answered)`);
  }

  return {
    from,
    callerId,
    to,
    url,
    streamUrl,
    streamType,
    streamName,
    callType,
    timeLimit,
    timeOut,
    waitUrl: text('WaitUrl'),
    record: record === 'true',
    recordingChannels,
    recordingFormat,
    customField,
    statusCallback,
    statusCallbackEvents: events,
    statusCallbackContentType: contentType as ConnectParams['statusCallbackContentType'],
  };
}

/** True when validation rejected the request. */
export function isRejection(result: ConnectParams | ConnectRejection): result is ConnectRejection {
  return (result as ConnectRejection).message !== undefined;
}

function reject(message: string): ConnectRejection {
  return { message };
}

/** undefined when absent, null when present but not a positive whole number. */
function positiveInt(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) && Number(value) > 0 ? Number(value) : null;
}
