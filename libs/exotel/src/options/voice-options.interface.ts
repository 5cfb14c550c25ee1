import type { z } from 'zod';
import type { DeepReadonly } from './deep-readonly';
import type { voiceOptionsSchema } from './voice-options.schema';

/** Options of voice-AI calls (`GET /exotel/answer`, WebSocket `/exotel/stream`, `GET /exotel/dial-up`). */
export interface ExotelVoiceOptions {
  /** The WebSocket gateway Exotel's Voicebot applet (or a Connect-Voice-AI call) streams audio to. */
  stream?: {
    /** Attach the gateway to the application's HTTP server. @default true */
    enabled?: boolean;
    /** Path of the WebSocket endpoint. @default '/exotel/stream' */
    path?: string;
    /**
     * Payload encoding: `auto` follows each stream's `media_format` (PCM16 unless it says mu-law);
     * `pcm16` or `mulaw` force it. @default 'auto'
     */
    encoding?: 'auto' | 'pcm16' | 'mulaw';
    /** Sample rate of the wire: `auto` follows `media_format` (the URL's `?sample-rate=`). @default 'auto' */
    sampleRate?: 'auto' | 8000 | 16000 | 24000;
    /** Audio per chunk sent to Exotel; chunks are rounded up to 320-byte multiples, 3,200 bytes at least. @default 100 */
    sendFrameMs?: number;
    /** Largest WebSocket message accepted. @default 1048576 */
    maxMessageBytes?: number;
    /** Time allowed between the connection and Exotel's `start` event. @default 10000 */
    startTimeoutMs?: number;
  };
  /** How `GET /exotel/dial-up` connects a transferred caller (Programmable Connect response). */
  transfer?: {
    /** Record the bridged conversation. @default false */
    record?: boolean;
    /** Channels of the recording: `dual` keeps caller and agent apart, `single` mixes them. @default 'dual' */
    recordingChannels?: 'single' | 'dual';
    /** Longest the agent's phone rings before the transfer counts as not answered. @default 45 */
    maxRingingDurationSeconds?: number;
    /** Longest the bridged conversation may last. @default 3600 */
    maxConversationDurationSeconds?: number;
    /** What the caller hears while the agent is dialled. @default 'operator_tone' */
    musicOnHold?: 'operator_tone' | 'default_tone';
    /** ExoPhone shown to the agent. */
    outgoingPhoneNumber?: string;
    /** Text played to both parties when the agent answers (`start_call_playback`). */
    announcement?: string;
  };
}

/** Voice options after defaults, as the schema resolves them (`stream.path` with a leading slash). */
export type ResolvedVoiceOptions = DeepReadonly<z.output<typeof voiceOptionsSchema>>;
