import { z } from 'zod';
import { problem } from './configuration-problems';

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
          .default(true),
        path: z
          .string(problem('must be text', 'use a path such as exotel/stream'))
          .regex(
            /^\/?[A-Za-z0-9._~/-]+$/,
            problem('must be a URL path', 'use a path such as exotel/stream (no query, no host)'),
          )
          .transform((path) => `/${path.replace(/^\/+|\/+$/g, '')}`)
          .default('/exotel/stream'),
        encoding: z
          .enum(
            ['auto', 'pcm16', 'mulaw'],
            problem(
              'must be auto, pcm16 or mulaw',
              "use auto to follow each stream's media_format, or force pcm16 / mulaw",
            ),
          )
          .default('auto'),
        sampleRate: z
          .union(
            [z.literal('auto'), z.literal(8000), z.literal(16000), z.literal(24000)],
            problem(
              'must be auto, 8000, 16000 or 24000',
              "use auto to follow each stream's media_format (the URL's ?sample-rate=)",
            ),
          )
          .default('auto'),
        sendFrameMs: wholePositive(
          'sendFrameMs',
          100,
          'use milliseconds of audio per chunk sent to Exotel, e.g. 100 (chunks are at least 3,200 bytes anyway)',
        ),
        maxMessageBytes: wholePositive(
          'maxMessageBytes',
          1_048_576,
          'use a byte limit for one WebSocket message, e.g. 1048576',
        ),
        startTimeoutMs: wholePositive(
          'startTimeoutMs',
          10_000,
          'use the time allowed between the connection and the start event, e.g. 10000',
        ),
      })
      .prefault({}),
    transfer: z
      .strictObject({
        record: z.boolean(problem('must be true or false', 'record transferred calls or not')).default(false),
        recordingChannels: z
          .enum(['single', 'dual'], problem('must be single or dual', 'use single or dual'))
          .default('dual'),
        maxRingingDurationSeconds: wholePositive(
          'maxRingingDurationSeconds',
          45,
          'use seconds the agent may ring, e.g. 45',
        ),
        maxConversationDurationSeconds: wholePositive(
          'maxConversationDurationSeconds',
          3_600,
          'use seconds, e.g. 3600',
        ),
        musicOnHold: z
          .enum(
            ['operator_tone', 'default_tone'],
            problem('must be operator_tone or default_tone', 'use operator_tone (the default)'),
          )
          .default('operator_tone'),
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
