import type { ExotelSimulator } from 'exotel-simulator';
import busboy from 'busboy';
import { Readable } from 'node:stream';

/** An answer from the simulator, its body read as text and, when possible, JSON. */
export interface SimAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON answers freely
  readonly json: any;
}

/**
 * Calls the simulator over real HTTP on loopback with its Basic credentials (or `auth` instead).
 * A `form` is sent urlencoded; pairs keep their order, so repeated and bracketed keys go as given.
 */
export async function simRequest(
  simulator: ExotelSimulator,
  path: string,
  init: {
    method?: string;
    form?: [string, string][];
    body?: string | FormData;
    headers?: Record<string, string>;
    auth?: string | null;
  } = {},
): Promise<SimAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  const auth = init.auth === undefined ? `${simulator.apiKey}:${simulator.apiToken}` : init.auth;
  if (auth !== null) headers.Authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  let body: string | FormData | undefined = init.body;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const response = await fetch(`${simulator.baseUrl}${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Calls the control API (`/_sim/...`) with a JSON body. */
export async function simControl(
  simulator: ExotelSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<SimAnswer> {
  return simRequest(simulator, path, {
    method,
    auth: null,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
}

/** The v1 path of the simulator's account. */
export function v1(simulator: ExotelSimulator, rest: string): string {
  return `/v1/Accounts/${simulator.accountSid}/${rest}`;
}

/** Reads a multipart/form-data body into its fields, in order. */
export function parseMultipart(body: string, contentType: string): Promise<[string, string][]> {
  return new Promise((resolve, reject) => {
    const fields: [string, string][] = [];
    const parser = busboy({ headers: { 'content-type': contentType } });
    parser.on('field', (name, value) => fields.push([name, value]));
    parser.on('close', () => resolve(fields));
    parser.on('error', reject);
    Readable.from([Buffer.from(body)]).pipe(parser);
  });
}

/** The 19 fields of Exotel's v1 `Call`, in the documented order. */
export const EXOTEL_CALL_FIELDS = [
  'Sid',
  'ParentCallSid',
  'DateCreated',
  'DateUpdated',
  'AccountSid',
  'To',
  'From',
  'PhoneNumberSid',
  'Status',
  'StartTime',
  'EndTime',
  'Duration',
  'Price',
  'Direction',
  'AnsweredBy',
  'ForwardedFrom',
  'CallerName',
  'Uri',
  'RecordingUrl',
] as const;
