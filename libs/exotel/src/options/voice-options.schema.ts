import { z } from 'zod';
import { problem } from './configuration-problems';
import { OPTION_DEFAULTS } from './exotel-options.defaults';

const S = OPTION_DEFAULTS.voice.stream;
const T = OPTION_DEFAULTS.voice.transfer;

const wholePositive = (what: string, fallback: number, fix: string) =>
  z
    .int(problem(`${what} must be a whole number`, fix))
    .positive(problem(`${what} must be positive`, fix))
    .default(fallback);

/** Validation of the `voice` options (Passthru answer, stream gateway, transfers), with defaults. */
export const voiceOptionsSchema = z
  .strictObject({
    stream: z
      .strictObject({
        enabled: z
          .boolean(problem('must be true or false', 'use false to leave the WebSocket gateway out'))
          .default(S.enabled),
        path: z
          .string(problem('must be text', 'use a path such as exotel/stream'))
          .regex(
            /^\/?[A-Za-z0-9._~/-]+$/,
            problem('must be a URL path', 'use a path such as exotel/stream (no query, no host)'),
          )
          .transform((path) => `/${path.replace(/^\/+|\/+$/g, '')}`)
          .default(S.path),
        encoding: z
          .enum(
            ['auto', 'pcm16', 'mulaw'],
            problem(
              'must be auto, pcm16 or mulaw',
              "use auto to follow each stream's media_format, or force pcm16 / mulaw",
            ),
          )
          .default(S.encoding),
        sampleRate: z
          .union(
            [z.literal('auto'), z.literal(8000), z.literal(16000), z.literal(24000)],
            problem(
              'must be auto, 8000, 16000 or 24000',
              "use auto to follow each stream's media_format (the URL's ?sample-rate=)",
            ),
          )
          .default(S.sampleRate),
        sendFrameMs: wholePositive(
          'sendFrameMs',
          S.sendFrameMs,
          `use milliseconds of audio per chunk sent to Exotel, e.g. ${S.sendFrameMs} (chunks are at least 3,200 bytes anyway)`,
        ),
        maxMessageBytes: wholePositive(
          'maxMessageBytes',
          S.maxMessageBytes,
          `use a byte limit for one WebSocket message, e.g. ${S.maxMessageBytes}`,
        ),
        startTimeoutMs: wholePositive(
          'startTimeoutMs',
          S.startTimeoutMs,
          `use the time allowed between the connection and the start event, e.g. ${S.startTimeoutMs}`,
        ),
      })
      .prefault({}),
    transfer: z
      .strictObject({
        record: z
          .boolean(problem('must be true or false', 'record transferred calls or not'))
          .default(T.record),
        recordingChannels: z
          .enum(['single', 'dual'], problem('must be single or dual', 'use single or dual'))
          .default(T.recordingChannels),
        maxRingingDurationSeconds: wholePositive(
          'maxRingingDurationSeconds',
          T.maxRingingDurationSeconds,
          `use seconds the agent may ring, e.g. ${T.maxRingingDurationSeconds}`,
        ),
        maxConversationDurationSeconds: wholePositive(
          'maxConversationDurationSeconds',
          T.maxConversationDurationSeconds,
          `use seconds, e.g. ${T.maxConversationDurationSeconds}`,
        ),
        musicOnHold: z
          .enum(
            ['operator_tone', 'default_tone'],
            problem('must be operator_tone or default_tone', `use ${T.musicOnHold} (the default)`),
          )
          .default(T.musicOnHold),
        outgoingPhoneNumber: z
          .string(problem('must be text', 'give the ExoPhone shown to the agent, e.g. 08047491899'))
          .min(1, problem('must not be empty', 'give an ExoPhone or leave it out'))
          .optional(),
        announcement: z
          .string(problem('must be text', 'give the text played to both parties, or leave it out'))
          .min(1, problem('must not be empty', 'give the text played to both parties, or leave it out'))
          .max(500, problem('must be at most 500 characters', 'shorten the announcement'))
          .optional(),
      })
      .prefault({}),
  })
  .prefault({});
