import { z } from 'zod';
import { isoInstant } from '../events/event-schema.helpers';

/** Exotel's report of a finished stream, as the Passthru after a Voicebot applet carries it. */
const streamReportSchema = z.object({
  streamSid: z.string().nullable(),
  status: z.string().nullable(),
  durationSeconds: z.number().nonnegative().nullable(),
  disconnectedBy: z.string().nullable(),
  recordingUrl: z.string().nullable(),
  error: z.string().nullable(),
  detailedStatus: z.string().nullable(),
});

/** Who ended a stream: the caller, the bot (this service), Exotel (applet ended) or unknown. */
const streamDisconnectedBySchema = z.enum(['user', 'bot', 'exotel', 'NA']);

/**
 * Events of voice-AI calls, on the `exotel.calls` topic. Subject: the Exotel CallSid, so a call's
 * voice events stay ordered. Stream URLs and tokens never appear in them.
 */
export const voiceEventSchemas = {
  /** Exotel's Passthru applet reached `GET /exotel/answer`; `branch` is what we answered (200 ok, 302 found). */
  'voice.passthru_received': z.object({
    callSid: z.string(),
    direction: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    flowId: z.string().nullable(),
    callType: z.string().nullable(),
    digits: z.string().nullable(),
    customField: z.string().nullable(),
    branch: z.enum(['ok', 'found']),
    /** Present when the Passthru follows a Voicebot/Stream applet. */
    stream: streamReportSchema.nullable(),
  }),
  /** A bot stream started (Exotel's `start` event reached the gateway). */
  'voice.stream_started': z.object({
    callSid: z.string(),
    streamSid: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    encoding: z.enum(['pcm16', 'mulaw']),
    sampleRate: z.number().int().positive(),
    agent: z.string(),
    customParameters: z.record(z.string(), z.string()),
    startedAt: isoInstant,
  }),
  /** A bot stream ended: how, who disconnected, how long it lasted and what flowed. */
  'voice.stream_stopped': z.object({
    callSid: z.string(),
    streamSid: z.string(),
    /** `callended` / `stopped` (Exotel's stop reasons), `bot_hangup`, `transfer`, `socket_closed`, `start_timeout`. */
    reason: z.string(),
    disconnectedBy: streamDisconnectedBySchema,
    durationSeconds: z.number().nonnegative(),
    framesReceived: z.number().int().nonnegative(),
    chunksSent: z.number().int().nonnegative(),
    malformedFrames: z.number().int().nonnegative(),
    stoppedAt: isoInstant,
  }),
  /** The agent asked to transfer the caller to a human; the Connect applet's dial-up gets `to`. */
  'voice.transfer_requested': z.object({
    callSid: z.string(),
    streamSid: z.string().nullable(),
    to: z.string(),
    requestedAt: isoInstant,
  }),
  /** The Connect applet fetched the transfer target (`GET /exotel/dial-up`), the first time. */
  'voice.transfer_dialled': z.object({
    callSid: z.string(),
    numbers: z.array(z.string()),
    dialledAt: isoInstant,
  }),
} as const;
