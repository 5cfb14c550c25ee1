import type { StreamScript } from '../voice/stream-client';

/** Common to every applet: an id other applets' branches can jump to. */
interface AppletBase {
  readonly id?: string;
}

/** Plays a greeting for `seconds` (simulated). */
export interface GreetingApplet extends AppletBase {
  readonly type: 'greeting';
  /** @default 2 */
  readonly seconds?: number;
}

/** The caller keys in `digits` (sent to later Passthrus as `digits="..."`). */
export interface GatherApplet extends AppletBase {
  readonly type: 'gather';
  readonly digits: string;
  /** @default 3 */
  readonly seconds?: number;
}

/** GETs `url` with the call's fields; in sync mode 200 goes to `ok`, 302 to `found`. */
export interface PassthruApplet extends AppletBase {
  readonly type: 'passthru';
  readonly url: string;
  /** Make Passthru Async: continue whatever the answer. @default false */
  readonly async?: boolean;
  /** Applet ids to continue with; the next applet when absent. */
  readonly ok?: string;
  readonly found?: string;
  /** How a preceding stream's report is sent: `Stream[Field]=` keys or one JSON `Stream=`. @default 'brackets' */
  readonly streamParams?: 'brackets' | 'json';
}

/**
 * Streams the call to `url` (`ws(s)://`, or an `http(s)://` endpoint answering `{ "url": "wss://…" }`):
 * `voicebot` both ways, `stream` caller audio only. The bot closing the socket moves the flow on.
 */
export interface StreamApplet extends AppletBase {
  readonly type: 'voicebot' | 'stream';
  readonly url: string;
  /** Record the stream (a recording URL reaches the next Passthru). @default false */
  readonly record?: boolean;
  /** Caller behaviour on the stream. */
  readonly script?: StreamScript;
}

/**
 * Connects the caller to a number: from `numbers`, or from the dynamic `url` (Programmable Connect,
 * header `Exotel-Version: 1.0`); `fallbackUrl` on error. `numbers: []` goes to `notConnected`.
 */
export interface ConnectApplet extends AppletBase {
  readonly type: 'connect';
  readonly url?: string;
  readonly fallbackUrl?: string;
  readonly numbers?: readonly string[];
  /** Applet id when nobody was connected; the next applet when absent. */
  readonly notConnected?: string;
}

/** Ends the call. */
export interface HangupApplet extends AppletBase {
  readonly type: 'hangup';
}

/** One applet of a flow. */
export type FlowApplet =
  GreetingApplet | GatherApplet | PassthruApplet | StreamApplet | ConnectApplet | HangupApplet;

/** A call flow (an Exotel "app"), run for inbound calls to an ExoPhone and flow calls. */
export interface FlowDefinition {
  readonly applets: readonly FlowApplet[];
  /** Where the call's terminal status callback goes (multipart, `Legs[i][Field]`). */
  readonly statusCallback?: string;
  /** `multipart/form-data` (default) or `application/json`. */
  readonly statusCallbackContentType?: 'multipart/form-data' | 'application/json';
}
