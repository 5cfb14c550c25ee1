import { z } from 'zod';
import { EXOTEL_OPTION_DEFAULTS, MIN_WEBHOOK_SECRET_LENGTH } from './exotel-options.defaults';
import { kafkaConnectionSchema } from './kafka-connection.options';
import { problem } from './configuration-problems';
import { exoPhonesOptionsSchema, heartbeatOptionsSchema } from './exophones-options.schema';
import { supportOptionsSchema } from './support-options.schema';
import { incidentsOptionsSchema } from './incidents-options.schema';
import { voiceOptionsSchema } from './voice-options.schema';
import { callsOptionsSchema } from './calls-options.schema';

const requiredText = (what: string, fix: string) =>
  z
    .string(problem(`${what} is missing`, fix))
    .trim()
    .min(1, problem(`${what} is empty`, fix));

const positiveInt = (what: string, fallback: number) =>
  z
    .int(
      problem(`${what} must be a whole number of milliseconds`, `use a positive integer such as ${fallback}`),
    )
    .positive(problem(`${what} must be positive`, `use a positive integer such as ${fallback}`))
    .default(fallback);

const credentialsSchema = z.strictObject(
  {
    apiKey: requiredText('the API key', 'copy the API key from Exotel Dashboard > Settings > API Settings'),
    apiToken: requiredText(
      'the API token',
      'copy the API token from Exotel Dashboard > Settings > API Settings',
    ),
    accountSid: requiredText(
      'the account SID',
      'copy the account SID from Exotel Dashboard > Settings > API Settings',
    ),
  },
  problem(
    'credentials are missing',
    'pass { apiKey, apiToken, accountSid } from Exotel Dashboard > Settings > API Settings',
  ),
);

const baseUrlSchema = z
  .url(problem('is not a URL', 'use an http(s) URL such as https://api.exotel.com or the simulator URL'))
  .refine(
    (value) => /^https?:$/.test(new URL(value).protocol),
    problem('must use http or https', 'use an http(s) URL'),
  )
  .refine(
    (value) => {
      const url = new URL(value);
      return url.username === '' && url.password === '';
    },
    problem(
      'must not contain credentials',
      'remove user:password@ from the URL; credentials go in `credentials`',
    ),
  );

const secretList = (what: string, fix: string, minLength = 1) =>
  z
    .array(
      z
        .string(problem(`each ${what} must be text`, fix))
        .min(minLength, problem(`each ${what} must be at least ${minLength} characters`, fix)),
      problem(`${what}s must be a list`, fix),
    )
    .default([]);

/** Validates `ExotelModuleOptions` and fills in defaults. */
export const exotelOptionsSchema = z.strictObject(
  {
    credentials: credentialsSchema,
    subdomain: z
      .enum(
        ['api.exotel.com', 'api.in.exotel.com'],
        problem(
          'must be api.exotel.com (Singapore) or api.in.exotel.com (Mumbai)',
          'use the host that matches your dashboard: my.exotel.com -> api.exotel.com, my.mum1.exotel.com -> api.in.exotel.com',
        ),
      )
      .default(EXOTEL_OPTION_DEFAULTS.subdomain),
    baseUrl: baseUrlSchema.optional(),
    timeouts: z
      .strictObject({
        connectMs: positiveInt('connectMs', EXOTEL_OPTION_DEFAULTS.timeouts.connectMs),
        requestMs: positiveInt('requestMs', EXOTEL_OPTION_DEFAULTS.timeouts.requestMs),
      })
      .prefault({})
      .refine(
        // Only compare two valid timeouts; an invalid one is already reported on its own.
        (t) =>
          !(
            Number.isInteger(t.connectMs) &&
            t.connectMs > 0 &&
            Number.isInteger(t.requestMs) &&
            t.requestMs > 0
          ) || t.connectMs < t.requestMs,
        problem(
          'connectMs must be shorter than requestMs',
          'keep the connect timeout (default 5000) below the request timeout (default 35000)',
        ),
      ),
    rateLimit: z
      .strictObject({
        voiceRequestsPerMinute: z
          .int(problem('must be a whole number', "use Exotel's limit for your account, 200 by default"))
          .positive(problem('must be positive', "use Exotel's limit for your account, 200 by default"))
          .default(EXOTEL_OPTION_DEFAULTS.rateLimit.voiceRequestsPerMinute),
        exophoneDetailsPerMinute: z
          .int(
            problem(
              'must be a whole number',
              'use the ExoPhone-details throttle of your account, 50 by default',
            ),
          )
          .positive(
            problem('must be positive', 'use the ExoPhone-details throttle of your account, 50 by default'),
          )
          .default(EXOTEL_OPTION_DEFAULTS.rateLimit.exophoneDetailsPerMinute),
        maxWaitMs: z
          .int(
            problem(
              'must be a whole number of milliseconds',
              'use 0 to fail at once, or a wait such as 30000',
            ),
          )
          .nonnegative(problem('must not be negative', 'use 0 to fail at once, or a wait such as 30000'))
          .default(EXOTEL_OPTION_DEFAULTS.rateLimit.maxWaitMs),
        periodMs: z
          .int(
            problem('must be a whole number of milliseconds', 'leave it at 60000 (Exotel counts per minute)'),
          )
          .min(100, problem('must be at least 100', 'leave it at 60000 (Exotel counts per minute)'))
          .default(60_000),
      })
      .prefault({}),
    retry: z
      .strictObject({
        maxRetries: z
          .int(problem('must be a whole number', 'use 0 to disable retries of GET requests, 3 by default'))
          .min(0, problem('must not be negative', 'use 0 to disable retries of GET requests, 3 by default'))
          .max(10, problem('must be at most 10', 'use 3 (the default) or fewer'))
          .default(EXOTEL_OPTION_DEFAULTS.retry.maxRetries),
        baseDelayMs: positiveInt('baseDelayMs', EXOTEL_OPTION_DEFAULTS.retry.baseDelayMs),
        maxDelayMs: positiveInt('maxDelayMs', EXOTEL_OPTION_DEFAULTS.retry.maxDelayMs),
      })
      .prefault({}),
    arrayEncoding: z
      .enum(
        ['brackets', 'indexed', 'repeat'],
        problem(
          'must be brackets, indexed or repeat',
          'use brackets (StatusCallbackEvents[]=...), indexed (StatusCallbackEvents[0]=...) or repeat',
        ),
      )
      .default(EXOTEL_OPTION_DEFAULTS.arrayEncoding),
    applets: z
      .strictObject({
        defaultAppId: z
          .string(problem('must be text', 'set it to the applet (app) id from App Bazaar, e.g. 123456'))
          .regex(/^\d+$/, problem('must be a numeric app id', 'copy the app id from App Bazaar > My Apps'))
          .optional(),
        templates: z
          .record(
            z.string(),
            z
              .string(
                problem('each template applet id must be text', 'map template names to numeric app ids'),
              )
              .regex(
                /^\d+$/,
                problem(
                  'each template applet id must be a numeric app id',
                  'map template names to numeric app ids',
                ),
              ),
            problem('must map template names to app ids', 'pass an object like { onboarding: "123456" }'),
          )
          .default({}),
      })
      .prefault({}),
    webhooks: z
      .strictObject({
        secrets: secretList(
          'webhook secret',
          `use random secrets of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (e.g. openssl rand -hex 24)`,
          MIN_WEBHOOK_SECRET_LENGTH,
        ),
        publicBaseUrl: z
          .url(
            problem(
              'is not a URL',
              'use the URL Exotel reaches this application at, e.g. https://api.example.com',
            ),
          )
          .refine(
            (value) => /^https?:$/.test(new URL(value).protocol) && !/[?#]/.test(value),
            problem('must be an http(s) URL without query or fragment', 'use e.g. https://api.example.com'),
          )
          .optional(),
      })
      .prefault({}),
    management: z
      .strictObject({
        apiKeys: secretList(
          'management API key',
          `use random keys of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (e.g. openssl rand -hex 24)`,
          MIN_WEBHOOK_SECRET_LENGTH,
        ),
      })
      .prefault({}),
    jobs: z
      .strictObject({
        enabled: z
          .boolean(problem('must be true or false', 'use false only to drive jobs by hand in tests'))
          .default(true),
      })
      .prefault({}),
    support: supportOptionsSchema,
    exophones: exoPhonesOptionsSchema,
    heartbeat: heartbeatOptionsSchema,
    events: z
      .strictObject({
        source: z
          .string(problem('must be text', 'use a URI naming this service, e.g. urn:acme:telephony'))
          .min(1, problem('must not be empty', 'use a URI naming this service, e.g. urn:acme:telephony'))
          .default(EXOTEL_OPTION_DEFAULTS.eventSource),
        kafka: kafkaConnectionSchema
          .extend({
            topicPrefix: z
              .string()
              .regex(
                /^[A-Za-z0-9._-]+$/,
                problem(
                  'may use letters, digits, ".", "_" and "-" only',
                  'use a prefix such as exotel or acme.telephony',
                ),
              )
              .default('exotel'),
          })
          .optional(),
        relay: z
          .strictObject({
            batchSize: positiveInt('batchSize', 500),
            pollIntervalMs: positiveInt('pollIntervalMs', 250),
            maxBackoffMs: positiveInt('maxBackoffMs', 30_000),
            drainOnShutdownMs: positiveInt('drainOnShutdownMs', 5_000),
            concurrency: z
              .int(problem('must be a whole number', 'use 1 to 8; 3 by default'))
              .min(1, problem('must be at least 1', 'use 1 to 8; 3 by default'))
              .max(16, problem('must be at most 16', 'use 1 to 8; each claim holds a database connection'))
              .default(3),
          })
          .prefault({}),
        handlers: z
          .strictObject({
            maxAttempts: z.int().min(1, problem('must be at least 1', 'use 3 (the default)')).default(3),
            retryDelayMs: positiveInt('retryDelayMs', 200),
          })
          .prefault({}),
        retentionHours: z.number().positive(problem('must be positive', 'use hours, e.g. 72')).default(72),
        lagWarningSeconds: z
          .number()
          .positive(problem('must be positive', 'use seconds, e.g. 60'))
          .default(60),
      })
      .prefault({}),
    incidents: incidentsOptionsSchema,
    voice: voiceOptionsSchema,
    calls: callsOptionsSchema,
  },
  problem(
    'options are missing',
    'pass an options object to ExotelModule.forRoot() or return one from forRootAsync()',
  ),
);

/** Output of the schema, before the base URL is derived and the result frozen. */
export type ParsedExotelOptions = z.output<typeof exotelOptionsSchema>;
