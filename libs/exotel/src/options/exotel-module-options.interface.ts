import type { ExotelCallsOptions } from './calls-options.interface';
import type { ExotelKafkaConnectionOptions } from './kafka-connection.options';
import type { ExotelSupportOptions } from './support-options.interface';
import type { ExotelVoiceOptions } from './voice-options.interface';

// The groups with their own file, and the resolved options, importable from here as before.
export type { ExotelCallsOptions, ResolvedCallsOptions } from './calls-options.interface';
export type { ExotelSupportOptions, SlaPolicyVersionOption } from './support-options.interface';
export type { ExotelVoiceOptions, ResolvedVoiceOptions } from './voice-options.interface';
export type {
  ResolvedEventsOptions,
  ResolvedExotelOptions,
  ResolvedKafkaOptions,
} from './resolved-exotel-options.interface';

/** The two Exotel clusters. The account's region is fixed when the account is created. */
export type ExotelSubdomain = 'api.exotel.com' | 'api.in.exotel.com';

/** How array parameters such as `StatusCallbackEvents` are written in v1 form bodies. */
export type ExotelArrayEncoding = 'brackets' | 'indexed' | 'repeat';

/** The three credentials from Dashboard > Settings > API Settings. */
export interface ExotelCredentials {
  /** API key: the HTTP Basic user name. */
  apiKey: string;
  /** API token: the HTTP Basic password. Never logged. */
  apiToken: string;
  /** Account SID: used in request paths. */
  accountSid: string;
}

/** Options of `ExotelModule.forRoot()` / `forRootAsync()`. */
export interface ExotelModuleOptions {
  /** API credentials. Required. */
  credentials: ExotelCredentials;

  /**
   * Exotel cluster of the account: `api.exotel.com` (Singapore, dashboard `my.exotel.com`) or
   * `api.in.exotel.com` (Mumbai, dashboard `my.mum1.exotel.com`).
   * @default 'api.exotel.com'
   */
  subdomain?: ExotelSubdomain;

  /**
   * Full base URL, overriding `subdomain`; for the simulator or a proxy, e.g. `http://127.0.0.1:4010`.
   * Must not contain credentials.
   * @default derived from `subdomain`: `https://<subdomain>`
   */
  baseUrl?: string;

  /** Connection and request timeouts, set separately as Exotel advises. */
  timeouts?: {
    /** Time allowed to open the TCP/TLS connection. @default 5000 */
    connectMs?: number;
    /** Time allowed for Exotel to answer once connected (Calls/connect can take up to 30 s). @default 35000 */
    requestMs?: number;
  };

  /**
   * Per-account rate budget shared by every voice (v1) request, and by every replica of the
   * account when its store is shared (the database or Redis).
   */
  rateLimit?: {
    /** Exotel's voice API limit per account. @default 200 */
    voiceRequestsPerMinute?: number;
    /** Exotel's throttle on the ExoPhone-details endpoint (GET one ExoPhone with connectivity). @default 50 */
    exophoneDetailsPerMinute?: number;
    /** Longest a request waits for room in the budget before failing with `ExotelRateLimitError`. @default 30000 */
    maxWaitMs?: number;
    /**
     * Length of the period the limits count over. Exotel's is a minute; change it only to match a
     * test double that counts faster. @default 60000
     */
    periodMs?: number;
    /**
     * Where the budget is counted. `auto`: Redis when `redisUrl` is set, else the host's database
     * on PostgreSQL (shared by every replica on it), else this process (SQLite). `database` and
     * `redis` insist on that store; `memory` keeps it per process (one replica only: each replica
     * would allow the account's whole limit). @default 'auto'
     */
    store?: 'auto' | 'memory' | 'database' | 'redis';
    /** Redis to count the budget in (`redis://[:password@]host:port[/db]`); needs `ioredis` installed. */
    redisUrl?: string;
    /** Longest one budget lookup in Redis may take before the request fails unsent. @default 2000 */
    storeTimeoutMs?: number;
  };

  /** Retries of safe (GET) requests on 429, 5xx and network errors. POSTs are never retried by the client. */
  retry?: {
    /** Retries after the first attempt. @default 3 */
    maxRetries?: number;
    /** Base delay of the jittered exponential backoff. @default 250 */
    baseDelayMs?: number;
    /** Cap on one backoff delay (a longer `Retry-After` is still honoured). @default 10000 */
    maxDelayMs?: number;
  };

  /** How `StatusCallbackEvents` is encoded in form bodies. @default 'brackets' */
  arrayEncoding?: ExotelArrayEncoding;

  /** Flow (applet) routing for calls that connect a number to a flow. */
  applets?: {
    /** Default applet (app) id, as in `EXOTEL_TEMPLATE_APPLET_APP_ID`. */
    defaultAppId?: string;
    /** Per-template applet ids; a template's id takes precedence over `defaultAppId`. @default {} */
    templates?: Record<string, string>;
  };

  /** Secrets that authenticate Exotel's webhooks (Exotel signs nothing). */
  webhooks?: {
    /**
     * Accepted secrets, sent by Exotel as `?key=` or as the HTTP Basic password. Several may be
     * valid at once so a secret can be rotated without downtime. Required when any webhook
     * controller is mounted. @default []
     */
    secrets?: string[];
    /**
     * The URL Exotel reaches this application at, e.g. `https://api.example.com` (under a global
     * prefix, include it). With it, every Calls/connect request asks Exotel for status callbacks at
     * `<publicBaseUrl>/<status callback route>?key=<first secret>`, unless `calls.statusCallbackUrl`
     * says otherwise. Without either, calls are settled only by the reconciliation job's call-details
     * look-ups (`calls.reconcile.silentAfterMs`), minutes later. @default undefined
     */
    publicBaseUrl?: string;
  };

  /** The management API (`/calls`, `/exophones`, ...). */
  management?: {
    /** Bearer keys accepted by the management API. Required when a management controller is mounted. @default [] */
    apiKeys?: string[];
  };

  /** Background jobs (staleness checks, SLA clocks, reconciliation, outbox relay and pruning). */
  jobs?: {
    /**
     * Run jobs on timers. Turn off in tests that drive ticks with `ExotelScheduler.runNow()`.
     * @default true
     */
    enabled?: boolean;
  };

  /** Support tickets tracked against Exotel's support SLA (`SupportSlaService`, `/tickets`). */
  support?: ExotelSupportOptions;

  /** ExoPhone inventory, failover and customer-facing numbers (`ExoPhoneHealthService`). */
  exophones?: {
    /**
     * ExoPhones (SIDs or E.164 numbers) calls may fail over to, in preference order. Empty: any
     * healthy ExoPhone of the account. @default []
     */
    failoverPool?: string[];
    /** ExoPhones printed on a website or app: inbound failover cannot help them. @default [] */
    customerFacing?: string[];
    /** Sync the inventory from Exotel's ExoPhone list at start. @default true */
    syncOnStart?: boolean;
    /** Re-sync the inventory this often. @default 60 */
    syncIntervalMinutes?: number;
  };

  /** Exotel's heartbeat webhook (`POST /exotel/heartbeat`). */
  heartbeat?: {
    /** The frequency configured in Exotel's Notifications Settings, in seconds. @default 60 */
    frequencySeconds?: number;
    /** `heartbeat.missed` after this many frequencies without a heartbeat. @default 2 */
    missedAfterIntervals?: number;
    /** Largest body read (Exotel sends up to 10 MB); larger gets 413. @default 12582912 */
    maxBodyBytes?: number;
    /** Fail readiness while the last heartbeat is CRITICAL (every ExoPhone affected). @default false */
    criticalMeansNotReady?: boolean;
    /** Received heartbeats are kept this long after they were applied. @default 6 */
    retentionHours?: number;
    /** Pace of the fallback sweep's job ticks. @default 1000 */
    sweepTickMs?: number;
    /**
     * Largest difference between a heartbeat's `timestamp` and the receiving clock, either way.
     * A heartbeat beyond it (Exotel's clock off, a replayed or mistyped payload) is refused with
     * 400 `HEARTBEAT_TIMESTAMP_SKEWED` and changes nothing; within it, heartbeats are ordered by
     * arrival (see the README's "Heartbeat ordering"). @default 300000
     */
    maxClockSkewMs?: number;
    /**
     * Attempts to apply a heartbeat that fails with an unexpected error before it is set aside
     * (recorded with its error, counted on `exotel_heartbeats_set_aside_total`, readiness degraded
     * until a later heartbeat applies), so later heartbeats do not queue behind it. @default 3
     */
    maxApplyAttempts?: number;
  };

  /** Events: envelope, Kafka delivery, the outbox relay and in-process handlers. */
  events?: {
    /** CloudEvents `source` of every event. @default 'urn:nestjs-exotel' */
    source?: string;
    /** Publish to Kafka. Without it events stay in the outbox and go to in-process handlers only. */
    kafka?: ExotelKafkaConnectionOptions & {
      /** Topics are `<prefix>.exophones`, `.calls`, `.incidents`, `.support`. @default 'exotel' */
      topicPrefix?: string;
      /**
       * Use kafkajs' idempotent producer, so the broker drops the duplicates its own retries would
       * write (after a stall, say). Needs a cluster that supports it (Kafka 0.11+ with the
       * IDEMPOTENT_WRITE permission); librdkafka's mock cluster does not. Delivery stays at least
       * once across relay restarts and claim take-overs either way. @default true
       */
      idempotent?: boolean;
      /**
       * Readiness reports Kafka stalled (outbox `degraded`) when a send has waited this long for
       * the broker, or events have waited this long while no send was acknowledged: a frozen or
       * partitioned broker, which answers nothing, is seen before request timeouts pile up (and
       * within 10 s, a poll of readiness included). @default 5000
       */
      stallAfterMs?: number;
    };
    /** The outbox relay. */
    relay?: {
      /** Events claimed and sent per round. @default 500 */
      batchSize?: number;
      /** Poll interval when idle (commits wake the relay at once). @default 250 */
      pollIntervalMs?: number;
      /** Longest backoff after failed deliveries (Kafka down). @default 30000 */
      maxBackoffMs?: number;
      /** On shutdown, time allowed to deliver what is pending before disconnecting. @default 5000 */
      drainOnShutdownMs?: number;
      /**
       * Batches one relay has in flight on PostgreSQL (SQLite always uses 1): the next batch is
       * claimed while earlier ones are delivered, and delivered after them, so a subject's events
       * keep their order. @default 3
       */
      concurrency?: number;
      /**
       * How long a relay's claim on the events it is delivering outlives the relay (PostgreSQL).
       * Claims are committed before the events are sent, so no transaction stays open across a
       * network call, and renewed every third of this while the relay delivers; once a relay
       * crashes or its process freezes, another takes its events over after this long and
       * delivers them again (delivery is at least once). @default 15000
       */
      leaseMs?: number;
    };
    /** In-process `@OnExotelEvent()` handlers. */
    handlers?: {
      /** Attempts per handler and event before the failure is logged and left. @default 3 */
      maxAttempts?: number;
      /** Delay before the second attempt; doubles each time. @default 200 */
      retryDelayMs?: number;
    };
    /** Delivered events are pruned from the outbox after this many hours. @default 72 */
    retentionHours?: number;
    /** Readiness reports the outbox as degraded (never down) beyond this lag. @default 60 */
    lagWarningSeconds?: number;
  };

  /** Incidents and maintenance windows (`IncidentService`, `/incidents`, `/maintenance-windows`). */
  incidents?: {
    /** Interval of the job that escalates, signals RCAs due and starts/ends maintenance windows. @default 30000 */
    checkIntervalMs?: number;
    /** When Exotel's API counts as failing (an Exotel-specific incident). */
    api?: {
      /** 5xx answers, timeouts and network errors within `windowMs` (and at least half the requests). @default 5 */
      failureThreshold?: number;
      /** The rolling window. @default 300000 */
      windowMs?: number;
      /** Answers in a row that end the failure. @default 3 */
      recoverAfterSuccesses?: number;
      /** While failing, a cheap GET probes Exotel this often (no traffic would never show recovery). @default 30000 */
      probeIntervalMs?: number;
    };
  };
  /** Voice-AI calls: the Passthru answer, the audio stream gateway and transfers to a human. */
  voice?: ExotelVoiceOptions;
  /** Calls/connect (`CallsService`, `/calls`), status callbacks, reconciliation and the latency watch. */
  calls?: ExotelCallsOptions;
}
