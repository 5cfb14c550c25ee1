/**
 * A string that may hold values outside the known set (Exotel adds values without notice) while
 * editors still suggest the known ones.
 */
export type OpenString<Known extends string> = Known | (string & Record<never, never>);

/** Call status values Exotel uses in v1 responses and callbacks. */
export type ExotelCallStatus =
  'queued' | 'ringing' | 'in-progress' | 'completed' | 'failed' | 'busy' | 'no-answer' | 'canceled';

/** A call as returned by v1 `Calls/connect` and `Calls/<sid>` (PascalCase, as Exotel sends it). */
export interface ExotelCall {
  Sid: string;
  ParentCallSid: string | null;
  DateCreated: string;
  DateUpdated: string;
  AccountSid: string;
  To: string;
  From: string;
  PhoneNumberSid: string;
  Status: OpenString<ExotelCallStatus>;
  StartTime: string | null;
  EndTime: string | null;
  Duration: string | number | null;
  Price: string | number | null;
  Direction: OpenString<'inbound' | 'outbound-dial' | 'outbound-api'>;
  AnsweredBy: string | null;
  ForwardedFrom: string | null;
  CallerName: string | null;
  Uri: string;
  RecordingUrl: string | null;
  PreSignedRecordingUrl?: string | null;
  CustomField?: string | null;
  /** Present with `details=true`. */
  Details?: {
    ConversationDuration: number;
    Leg1Status: string;
    Leg2Status: string;
    Legs: { Leg: { Id: number; OnCallDuration: number } }[];
  };
}

/** Parameters of v1 `Calls/connect`, in camelCase; the client writes Exotel's PascalCase form fields. */
export interface ConnectCallRequest {
  /** Number dialled first. */
  from: string;
  /** Your ExoPhone shown to the callee. */
  callerId: string;
  /** Mode 1: second number, bridged when `from` answers. */
  to?: string;
  /** Mode 2: flow URL `http://my.exotel.com/<sid>/exoml/start_voice/<app_id>`. */
  url?: string;
  /** Mode 3 (Connect Voice AI): `ws://` or `wss://` URL the call streams to. */
  streamUrl?: string;
  streamType?: 'bidirectional' | 'unidirectional';
  streamName?: string;
  /** Only `trans` is supported by Exotel. */
  callType?: 'trans';
  /** Maximum call duration in seconds (at most 14400). */
  timeLimit?: number;
  /** Ring time in seconds for each leg. */
  timeOut?: number;
  /** WAV played to `from` while `to` rings. */
  waitUrl?: string;
  record?: boolean;
  recordingChannels?: 'single' | 'dual';
  recordingFormat?: 'mp3' | 'mp3-hq';
  /** Up to 128 characters, returned in the terminal status callback. */
  customField?: string;
  statusCallback?: string;
  statusCallbackEvents?: ('terminal' | 'answered')[];
  statusCallbackContentType?: 'multipart/form-data' | 'application/json';
}

/** Filters of the v1 bulk call list. */
export interface ListCallsQuery {
  sid?: string[];
  /** Range on `DateCreated`, written as `gte:<from>;lte:<to>` in Exotel's `YYYY-MM-DD HH:mm:ss`. */
  dateCreated?: { gte?: string; lte?: string };
  to?: string[];
  from?: string[];
  phoneNumber?: string[];
  status?: ExotelCallStatus[];
  direction?: ('inbound' | 'outbound-dial' | 'outbound-api')[];
  pageSize?: number;
  sortBy?: 'DateCreated:asc' | 'DateCreated:desc';
  before?: string;
  after?: string;
}

/** A page of the v1 bulk call list. */
export interface ExotelCallPage {
  Metadata: {
    Total?: number;
    PageSize?: number;
    FirstPageUri?: string | null;
    PrevPageUri?: string | null;
    NextPageUri?: string | null;
  };
  Calls: ExotelCall[];
}

/** An ExoPhone as listed by `v2_beta/.../IncomingPhoneNumbers`. */
export interface IncomingPhoneNumber {
  sid: string;
  phone_number: string;
  friendly_name?: string;
  capabilities?: { voice?: boolean; sms?: boolean };
  country?: string;
  region?: string;
  voice_url?: string | null;
  sms_url?: string | null;
}

/** A page of `v2_beta/.../IncomingPhoneNumbers`. */
export interface IncomingPhoneNumberPage {
  page: number;
  page_size: number;
  uri?: string;
  first_page_uri?: string | null;
  next_page_uri?: string | null;
  previous_page_uri?: string | null;
  incoming_phone_numbers: IncomingPhoneNumber[];
}

/** Connectivity status of one direction of an ExoPhone, as Exotel reports it. */
export type ExotelConnectivityStatus = 'active' | 'partial_network_outage' | 'major_outage';

/** One direction's connectivity block. */
export interface ExotelConnectivity {
  status: OpenString<ExotelConnectivityStatus>;
  last_check_time?: string | null;
  alternate_exophone?: string | string[] | null;
}

/** `data` of the v2 single ExoPhone GET (with connectivity). */
export interface ExoPhoneDetails extends IncomingPhoneNumber {
  date_created?: string;
  date_updated?: string;
  account_sid?: string;
  number_type?: string;
  connectivity?: { incoming_call?: ExotelConnectivity; outgoing_call?: ExotelConnectivity };
}

/** The v2 response envelope. `response` is an array for GETs, an object in error answers. */
export interface ExotelV2Envelope<T> {
  request_id?: string;
  method?: string;
  http_code?: number;
  metadata?: Record<string, unknown>;
  response: ExotelV2Block<T> | ExotelV2Block<T>[];
}

/** One block of a v2 response. */
export interface ExotelV2Block<T> {
  code: number;
  status: OpenString<'success' | 'failure'>;
  error_data: { code?: number | string; message?: string; description?: string } | null;
  data: T | null;
}
