import { z } from 'zod';
import { MIN_WEBHOOK_SECRET_LENGTH, OPTION_DEFAULTS } from './exotel-options.defaults';
import { problem } from './configuration-problems';
import { exoPhonesOptionsSchema, heartbeatOptionsSchema } from './exophones-options.schema';
import { supportOptionsSchema } from './support-options.schema';
import { incidentsOptionsSchema } from './incidents-options.schema';
import { voiceOptionsSchema } from './voice-options.schema';
import { callsOptionsSchema } from './calls-options.schema';
import { eventsOptionsSchema } from './events-options.schema';
import { positiveInt } from './positive-int.schema';

const D = OPTION_DEFAULTS;

const VOICE_LIMIT_FIX = `use Exotel's limit for your account, ${D.rateLimit.voiceRequestsPerMinute} by default`;
const DETAILS_LIMIT_FIX = `use the ExoPhone-details throttle of your account, ${D.rateLimit.exophoneDetailsPerMinute} by default`;
const MAX_WAIT_FIX = `use 0 to fail at once, or a wait such as ${D.rateLimit.maxWaitMs}`;
const STORE_FIX = "use 'auto', 'database' or 'redis' to share it across replicas, or 'memory' for one";
const REDIS_URL_FIX = 'use redis://[:password@]host:port[/db], or rediss:// for TLS';
const PERIOD_FIX = `leave it at ${D.rateLimit.periodMs} (Exotel counts per minute)`;
const RETRIES_FIX = `use 0 to disable retries of GET requests, ${D.retry.maxRetries} by default`;

const requiredText = (what: string, fix: string) =>
  z
    .string(problem(`${what} is missing`, fix))
    .trim()
    .min(1, problem(`${what} is empty`, fix));

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

// zod runs every check even after `z.url()` failed: the others must not throw on a non-URL (they
// pass it, leaving the one "is not a URL" problem).
const parsedUrl = (value: string): URL | undefined => (URL.canParse(value) ? new URL(value) : undefined);

const baseUrlSchema = z
  .url(problem('is not a URL', 'use an http(s) URL such as https://api.exotel.com or the simulator URL'))
  .refine(
    (value) => /^https?:$/.test(parsedUrl(value)?.protocol ?? 'http:'),
    problem('must use http or https', 'use an http(s) URL'),
  )
  .refine(
    (value) => {
      const url = parsedUrl(value);
      return !url || (url.username === '' && url.password === '');
    },
    problem(
      'must not contain credentials',
      'remove user:password@ from the URL; credentials go in `credentials`',
    ),
  );

const secretList = (what: string, fix: string, fallback: readonly string[], minLength = 1) =>
  z
    .array(
      z
        .string(problem(`each ${what} must be text`, fix))
        .min(minLength, problem(`each ${what} must be at least ${minLength} characters`, fix)),
      problem(`${what}s must be a list`, fix),
    )
    .default([...fallback]);

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
      .default(D.subdomain),
    baseUrl: baseUrlSchema.optional(),
    timeouts: z
      .strictObject({
        connectMs: positiveInt('connectMs', D.timeouts.connectMs),
        requestMs: positiveInt('requestMs', D.timeouts.requestMs),
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
          `keep the connect timeout (default ${D.timeouts.connectMs}) below the request timeout (default ${D.timeouts.requestMs})`,
        ),
      ),
    rateLimit: z
      .strictObject({
        voiceRequestsPerMinute: z
          .int(problem('must be a whole number', VOICE_LIMIT_FIX))
          .positive(problem('must be positive', VOICE_LIMIT_FIX))
          .default(D.rateLimit.voiceRequestsPerMinute),
        exophoneDetailsPerMinute: z
          .int(problem('must be a whole number', DETAILS_LIMIT_FIX))
          .positive(problem('must be positive', DETAILS_LIMIT_FIX))
          .default(D.rateLimit.exophoneDetailsPerMinute),
        maxWaitMs: z
          .int(problem('must be a whole number of milliseconds', MAX_WAIT_FIX))
          .nonnegative(problem('must not be negative', MAX_WAIT_FIX))
          .default(D.rateLimit.maxWaitMs),
        periodMs: z
          .int(problem('must be a whole number of milliseconds', PERIOD_FIX))
          .min(100, problem('must be at least 100', PERIOD_FIX))
          .default(D.rateLimit.periodMs),
        store: z
          .enum(['auto', 'memory', 'database', 'redis'], problem('is not a store', STORE_FIX))
          .default(D.rateLimit.store),
        redisUrl: z
          .url(problem('is not a URL', REDIS_URL_FIX))
          .refine(
            (value) => /^rediss?:$/.test(new URL(value).protocol),
            problem('is not a Redis URL', REDIS_URL_FIX),
          )
          .optional(),
        storeTimeoutMs: z
          .int(problem('must be a whole number of milliseconds', 'use a timeout such as 2000'))
          .positive(problem('must be positive', 'use a timeout such as 2000'))
          .default(D.rateLimit.storeTimeoutMs),
      })
      .prefault({}),
    retry: z
      .strictObject({
        maxRetries: z
          .int(problem('must be a whole number', RETRIES_FIX))
          .min(0, problem('must not be negative', RETRIES_FIX))
          .max(10, problem('must be at most 10', `use ${D.retry.maxRetries} (the default) or fewer`))
          .default(D.retry.maxRetries),
        baseDelayMs: positiveInt('baseDelayMs', D.retry.baseDelayMs),
        maxDelayMs: positiveInt('maxDelayMs', D.retry.maxDelayMs),
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
      .default(D.arrayEncoding),
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
          .default({ ...D.applets.templates }),
      })
      .prefault({}),
    webhooks: z
      .strictObject({
        secrets: secretList(
          'webhook secret',
          `use random secrets of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters (e.g. openssl rand -hex 24)`,
          D.webhooks.secrets,
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
          D.management.apiKeys,
          MIN_WEBHOOK_SECRET_LENGTH,
        ),
      })
      .prefault({}),
    jobs: z
      .strictObject({
        enabled: z
          .boolean(problem('must be true or false', 'use false only to drive jobs by hand in tests'))
          .default(D.jobs.enabled),
      })
      .prefault({}),
    support: supportOptionsSchema,
    exophones: exoPhonesOptionsSchema,
    heartbeat: heartbeatOptionsSchema,
    events: eventsOptionsSchema,
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
