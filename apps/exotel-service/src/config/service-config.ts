import { ExotelConfigurationError, type ConfigurationProblem } from 'nestjs-exotel';
import { z } from 'zod';

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** The environment the reference service reads (see the README configuration table); every value is text. */
const envSchema = z.object({
  EXOTEL_API_KEY: optionalText,
  EXOTEL_API_TOKEN: optionalText,
  EXOTEL_SID: optionalText,
  EXOTEL_SUBDOMAIN: optionalText,
  EXOTEL_BASE_URL: optionalText,
  EXOTEL_TEMPLATE_APPLET_APP_ID: optionalText,
  EXOTEL_TEMPLATE_APPLETS: optionalText,
  EXOTEL_WEBHOOK_SECRET: optionalText,
  EXOTEL_CONNECT_TIMEOUT_MS: optionalText,
  EXOTEL_REQUEST_TIMEOUT_MS: optionalText,
  EXOTEL_VOICE_REQUESTS_PER_MINUTE: optionalText,
  DATABASE_URL: optionalText,
  KAFKA_BROKERS: optionalText,
  KAFKA_TOPIC_PREFIX: optionalText,
  KAFKA_CLIENT_ID: optionalText,
  KAFKA_SSL: optionalText,
  KAFKA_IDEMPOTENT: optionalText,
  KAFKA_SASL_MECHANISM: optionalText,
  KAFKA_SASL_USERNAME: optionalText,
  KAFKA_SASL_PASSWORD: optionalText,
  SUPPORT_PLAN: optionalText,
  HEARTBEAT_FREQUENCY_MINUTES: optionalText,
  EXOPHONE_FAILOVER_POOL: optionalText,
  EXOPHONE_CUSTOMER_FACING: optionalText,
  PORT: optionalText,
  HOST: optionalText,
  PUBLIC_BASE_URL: optionalText,
  SERVICE_API_KEYS: optionalText,
  LOG_LEVEL: optionalText,
  VOICE_ECHO_AGENT: optionalText,
  VOICE_TRANSFER_NUMBER: optionalText,
  EXOTEL_CALLER_ID: optionalText,
  SHUTDOWN_GRACE_MS: optionalText,
  SHUTDOWN_DELAY_MS: optionalText,
  RATE_LIMIT_STORE: optionalText,
  REDIS_URL: optionalText,
});

/** Where the service keeps its data. */
export type DatabaseSettings =
  { readonly type: 'sqlite'; readonly path: string } | { readonly type: 'postgres'; readonly url: string };

const RATE_LIMIT_STORES = ['auto', 'memory', 'database', 'redis'] as const;

/** The validated configuration of the reference service. */
export interface ServiceConfig {
  /** No Exotel credentials were given: run against the in-process simulator. */
  readonly demo: boolean;
  readonly exotel: {
    readonly apiKey: string;
    readonly apiToken: string;
    readonly accountSid: string;
    readonly subdomain: 'api.exotel.com' | 'api.in.exotel.com';
    readonly baseUrl?: string;
    readonly defaultAppletId?: string;
    readonly templateApplets: Readonly<Record<string, string>>;
    readonly webhookSecrets: readonly string[];
    readonly connectTimeoutMs: number;
    readonly requestTimeoutMs: number;
    readonly voiceRequestsPerMinute: number;
    /** Where the request budget is counted (`RATE_LIMIT_STORE`); `auto` shares it through the database or Redis. */
    readonly rateLimitStore: 'auto' | 'memory' | 'database' | 'redis';
    /** Redis for the shared request budget (`REDIS_URL`); never logged. */
    readonly redisUrl?: string;
    /** ExoPhone used by calls that name no caller id (`EXOTEL_CALLER_ID`). */
    readonly defaultCallerId?: string;
  };
  readonly database: DatabaseSettings;
  readonly kafka: {
    readonly brokers: readonly string[];
    /** `KAFKA_TOPIC_PREFIX`; unset, the module's default (`exotel`). */
    readonly topicPrefix?: string;
    readonly clientId: string;
    readonly ssl: boolean;
    /** kafkajs' idempotent producer (`KAFKA_IDEMPOTENT`, off for clusters without it). */
    readonly idempotent: boolean;
    readonly sasl?: {
      readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
      readonly username: string;
      readonly password: string;
    };
  };
  readonly supportPlan: 'enterprise' | 'sme' | 'smb';
  readonly heartbeatFrequencyMinutes: number;
  readonly exophones: {
    readonly failoverPool: readonly string[];
    readonly customerFacing: readonly string[];
  };
  readonly http: { readonly port: number; readonly host: string; readonly publicBaseUrl?: string };
  readonly serviceApiKeys: readonly string[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The demo echo agent: on in demo mode unless `VOICE_ECHO_AGENT=false`, off otherwise unless `true`. */
  readonly voice: { readonly echoAgent: boolean; readonly transferNumber: string };
  /**
   * SIGTERM: readiness fails at once; new connections are still taken for `delayMs` (while load
   * balancers notice), then refused; requests in flight finish, and the process exits within `graceMs`.
   */
  readonly shutdown: { readonly graceMs: number; readonly delayMs: number };
}

const CREDENTIALS = ['EXOTEL_API_KEY', 'EXOTEL_API_TOKEN', 'EXOTEL_SID'] as const;
const MIN_SECRET_LENGTH = 16;
const MAX_PORT = 65_535;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the environment. Every problem is collected and thrown at once as an
 * `ExotelConfigurationError` naming the variables and how to fix them. Demo mode (no Exotel
 * credentials at all) leaves the Exotel credentials, webhook secret and API keys empty for the
 * demo set-up to fill in.
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const e = envSchema.parse(env);
  const problems: ConfigurationProblem[] = [];
  const int = (name: keyof typeof e, fallback: number, fix: string, range = { min: 1, max: Infinity }) => {
    const raw = e[name];
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (Number.isInteger(parsed) && parsed >= range.min && parsed <= range.max) return parsed;
    const within =
      range.max === Infinity
        ? range.min === 1
          ? 'a positive whole number'
          : `a whole number of at least ${range.min}`
        : `a whole number from ${range.min} to ${range.max}`;
    problems.push({ path: name, problem: `must be ${within}, got "${raw}"`, fix });
    return fallback;
  };
  const connectTimeoutMs = int('EXOTEL_CONNECT_TIMEOUT_MS', 5_000, 'use milliseconds, e.g. 5000');
  const requestTimeoutMs = int('EXOTEL_REQUEST_TIMEOUT_MS', 35_000, 'use milliseconds, e.g. 35000');
  const voiceRequestsPerMinute = int(
    'EXOTEL_VOICE_REQUESTS_PER_MINUTE',
    200,
    "use your account's limit, 200 by default",
  );
  const heartbeatFrequencyMinutes = int(
    'HEARTBEAT_FREQUENCY_MINUTES',
    1,
    'use the frequency set in Exotel Dashboard > Notifications Settings',
  );
  const port = int('PORT', 3000, 'use a TCP port such as 3000', { min: 1, max: MAX_PORT });
  const graceMs = int(
    'SHUTDOWN_GRACE_MS',
    25_000,
    "use milliseconds under the orchestrator's own grace, e.g. 25000",
  );
  const delayMs = int('SHUTDOWN_DELAY_MS', 0, 'use milliseconds, e.g. 5000 behind a load balancer, or 0', {
    min: 0,
    max: Infinity,
  });
  if (delayMs >= graceMs) {
    problems.push({
      path: 'SHUTDOWN_DELAY_MS',
      problem: `(${delayMs} ms) must be shorter than SHUTDOWN_GRACE_MS (${graceMs} ms)`,
      fix: 'leave the requests in flight time to finish within the grace, e.g. 5000 of 25000',
    });
  }
  const present = CREDENTIALS.filter((name) => e[name] !== undefined);
  const demo = present.length === 0;
  if (!demo) {
    for (const name of CREDENTIALS.filter((n) => e[n] === undefined)) {
      problems.push({
        path: name,
        problem: `is missing while ${present.join(' and ')} ${present.length === 1 ? 'is' : 'are'} set`,
        fix:
          `set ${name} to the ${name === 'EXOTEL_SID' ? 'account SID' : name === 'EXOTEL_API_KEY' ? 'API key' : 'API token'} ` +
          'from Exotel Dashboard > Settings > API Settings, or unset all of EXOTEL_API_KEY, EXOTEL_API_TOKEN and ' +
          'EXOTEL_SID to run the demo against the built-in simulator',
      });
    }
  }

  const subdomain = e.EXOTEL_SUBDOMAIN ?? 'api.exotel.com';
  if (subdomain !== 'api.exotel.com' && subdomain !== 'api.in.exotel.com') {
    problems.push({
      path: 'EXOTEL_SUBDOMAIN',
      problem: `"${subdomain}" is not an Exotel cluster`,
      fix: 'use api.exotel.com (Singapore, my.exotel.com) or api.in.exotel.com (Mumbai, my.mum1.exotel.com)',
    });
  }
  const webhookSecrets = list(e.EXOTEL_WEBHOOK_SECRET);
  const serviceApiKeys = list(e.SERVICE_API_KEYS);
  if (!demo && webhookSecrets.length === 0) {
    problems.push({
      path: 'EXOTEL_WEBHOOK_SECRET',
      problem: 'is missing; without it anyone could post fake heartbeats and call events',
      fix: 'set one or more random secrets (comma-separated, 16+ characters, e.g. `openssl rand -hex 24`) and add ?key=<secret> to the webhook URLs configured in Exotel',
    });
  }
  if (!demo && serviceApiKeys.length === 0) {
    problems.push({
      path: 'SERVICE_API_KEYS',
      problem: 'is missing; the management API would be closed to everyone',
      fix: 'set one or more random keys (comma-separated, 16+ characters); clients send "Authorization: Bearer <key>"',
    });
  }
  for (const [name, values] of [
    ['EXOTEL_WEBHOOK_SECRET', webhookSecrets],
    ['SERVICE_API_KEYS', serviceApiKeys],
  ] as const) {
    if (values.some((value) => value.length < MIN_SECRET_LENGTH)) {
      problems.push({
        path: name,
        problem: `every value must be at least ${MIN_SECRET_LENGTH} characters`,
        fix: 'use long random values, e.g. `openssl rand -hex 24`',
      });
    }
  }
  const database = databaseSettings(e.DATABASE_URL, problems);
  checkBaseUrl(e.EXOTEL_BASE_URL, problems);
  const brokers = kafkaBrokers(e.KAFKA_BROKERS, problems);
  const supportPlan = (e.SUPPORT_PLAN ?? 'enterprise').toLowerCase();
  if (!['enterprise', 'sme', 'smb'].includes(supportPlan)) {
    problems.push({
      path: 'SUPPORT_PLAN',
      problem: `"${e.SUPPORT_PLAN}" is not a plan`,
      fix: 'use enterprise, sme or smb',
    });
  }
  const logLevel = (e.LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    problems.push({
      path: 'LOG_LEVEL',
      problem: `"${e.LOG_LEVEL}" is not a level`,
      fix: `use one of ${LOG_LEVELS.join(', ')}`,
    });
  }
  const templateApplets = parseTemplateApplets(e.EXOTEL_TEMPLATE_APPLETS, problems);
  const sasl = kafkaSasl(e.KAFKA_SASL_MECHANISM, e.KAFKA_SASL_USERNAME, e.KAFKA_SASL_PASSWORD, problems);
  const kafkaIdempotent = (e.KAFKA_IDEMPOTENT ?? 'true').toLowerCase();
  if (kafkaIdempotent !== 'true' && kafkaIdempotent !== 'false') {
    problems.push({
      path: 'KAFKA_IDEMPOTENT',
      problem: `"${e.KAFKA_IDEMPOTENT}" is neither true nor false`,
      fix: 'use true (the default), or false for a cluster without the idempotent producer',
    });
  }
  const rateLimitStore = (e.RATE_LIMIT_STORE ?? 'auto').toLowerCase();
  if (!RATE_LIMIT_STORES.includes(rateLimitStore as (typeof RATE_LIMIT_STORES)[number])) {
    problems.push({
      path: 'RATE_LIMIT_STORE',
      problem: `"${e.RATE_LIMIT_STORE}" is not a store`,
      fix: `use one of ${RATE_LIMIT_STORES.join(', ')} (auto: Redis with REDIS_URL, else the database)`,
    });
  }
  const echoAgent = (e.VOICE_ECHO_AGENT ?? (demo ? 'true' : 'false')).toLowerCase() === 'true';
  const transferNumber = e.VOICE_TRANSFER_NUMBER ?? '+919812345678';
  if (!/^\+[1-9]\d{7,14}$/.test(transferNumber)) {
    problems.push({
      path: 'VOICE_TRANSFER_NUMBER',
      problem: `"${transferNumber}" is not an E.164 number`,
      fix: 'use the agent line the echo agent transfers to on DTMF 0, e.g. +919812345678',
    });
  }
  if (problems.length > 0) throw new ExotelConfigurationError(problems);

  return {
    demo,
    exotel: {
      apiKey: e.EXOTEL_API_KEY ?? '',
      apiToken: e.EXOTEL_API_TOKEN ?? '',
      accountSid: e.EXOTEL_SID ?? '',
      subdomain: subdomain as ServiceConfig['exotel']['subdomain'],
      baseUrl: e.EXOTEL_BASE_URL,
      defaultAppletId: e.EXOTEL_TEMPLATE_APPLET_APP_ID,
      templateApplets,
      webhookSecrets,
      connectTimeoutMs,
      requestTimeoutMs,
      voiceRequestsPerMinute,
      rateLimitStore: rateLimitStore as ServiceConfig['exotel']['rateLimitStore'],
      redisUrl: e.REDIS_URL || undefined,
      defaultCallerId: e.EXOTEL_CALLER_ID,
    },
    database,
    kafka: {
      brokers,
      topicPrefix: e.KAFKA_TOPIC_PREFIX || undefined,
      clientId: e.KAFKA_CLIENT_ID ?? 'exotel-service',
      ssl: (e.KAFKA_SSL ?? '').toLowerCase() === 'true',
      idempotent: kafkaIdempotent !== 'false',
      sasl,
    },
    supportPlan: supportPlan as ServiceConfig['supportPlan'],
    heartbeatFrequencyMinutes,
    exophones: {
      failoverPool: list(e.EXOPHONE_FAILOVER_POOL),
      customerFacing: list(e.EXOPHONE_CUSTOMER_FACING),
    },
    http: { port, host: e.HOST ?? '0.0.0.0', publicBaseUrl: e.PUBLIC_BASE_URL },
    serviceApiKeys,
    logLevel: logLevel as ServiceConfig['logLevel'],
    voice: { echoAgent, transferNumber },
    shutdown: { graceMs, delayMs },
  };
}

function checkBaseUrl(raw: string | undefined, problems: ConfigurationProblem[]): void {
  if (raw === undefined) return;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  const problem = !url
    ? 'is not a URL'
    : !/^https?:$/.test(url.protocol)
      ? `must use http or https, not ${url.protocol}`
      : url.username !== '' || url.password !== ''
        ? 'must not contain credentials'
        : undefined;
  if (problem) {
    problems.push({
      path: 'EXOTEL_BASE_URL',
      problem,
      fix: 'use an http(s) URL without user:password@, such as https://api.exotel.com or the simulator URL, or unset it to use EXOTEL_SUBDOMAIN',
    });
  }
}

function kafkaBrokers(raw: string | undefined, problems: ConfigurationProblem[]): string[] {
  const brokers = list(raw);
  const wrong = brokers.filter((broker) => {
    const match = /^[^\s:]+:(\d{1,5})$/.exec(broker);
    return !match || Number(match[1]) < 1 || Number(match[1]) > MAX_PORT;
  });
  if (wrong.length > 0) {
    problems.push({
      path: 'KAFKA_BROKERS',
      problem: `${wrong.map((broker) => `"${broker}"`).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not host:port with a port from 1 to ${MAX_PORT}`,
      fix: 'list comma-separated brokers such as kafka-1:9092,kafka-2:9092',
    });
  }
  return brokers;
}

function databaseSettings(url: string | undefined, problems: ConfigurationProblem[]): DatabaseSettings {
  if (url === undefined) return { type: 'sqlite', path: './data/exotel.sqlite' };
  if (/^postgres(ql)?:\/\//i.test(url)) return { type: 'postgres', url };
  const sqlite = /^sqlite:(.+)$/i.exec(url);
  if (sqlite) return { type: 'sqlite', path: sqlite[1] };
  problems.push({
    path: 'DATABASE_URL',
    problem: 'is neither a postgres:// URL nor sqlite:<path>',
    fix: 'use postgres://user:password@host:5432/db, sqlite:./data/exotel.sqlite, or unset it for the embedded SQLite file',
  });
  return { type: 'sqlite', path: './data/exotel.sqlite' };
}

function kafkaSasl(
  mechanism: string | undefined,
  username: string | undefined,
  password: string | undefined,
  problems: ConfigurationProblem[],
): ServiceConfig['kafka']['sasl'] {
  if (mechanism === undefined && username === undefined && password === undefined) return undefined;
  const normalized = (mechanism ?? '').toLowerCase();
  if (!['plain', 'scram-sha-256', 'scram-sha-512'].includes(normalized) || !username || !password) {
    problems.push({
      path: 'KAFKA_SASL_MECHANISM',
      problem: 'SASL needs a mechanism, a user name and a password together',
      fix: 'set KAFKA_SASL_MECHANISM (plain, scram-sha-256 or scram-sha-512), KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, or none of them',
    });
    return undefined;
  }
  return { mechanism: normalized as 'plain' | 'scram-sha-256' | 'scram-sha-512', username, password };
}

function parseTemplateApplets(
  raw: string | undefined,
  problems: ConfigurationProblem[],
): Record<string, string> {
  const applets: Record<string, string> = {};
  for (const pair of list(raw)) {
    const [name, id] = pair.split('=').map((part) => part?.trim());
    if (!name || !id || !/^\d+$/.test(id)) {
      problems.push({
        path: 'EXOTEL_TEMPLATE_APPLETS',
        problem: `"${pair}" is not template=appId`,
        fix: 'write comma-separated pairs such as onboarding=123456,collections=234567',
      });
      continue;
    }
    applets[name] = id;
  }
  return applets;
}
