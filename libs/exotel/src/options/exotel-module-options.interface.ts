import type { ExotelKafkaConnectionOptions } from './kafka-connection.options';
import type {
  CoverageHours,
  SlaPolicyVersion,
  SlaTargets,
  SupportPlan,
  TicketSeverity,
} from './support-policy';

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

  /** Per-account rate budget shared by every voice (v1) request. */
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
  };

  /** Events: envelope, Kafka delivery, the outbox relay and in-process handlers. */
  events?: {
    /** CloudEvents `source` of every event. @default 'urn:nestjs-exotel' */
    source?: string;
    /** Publish to Kafka. Without it events stay in the outbox and go to in-process handlers only. */
    kafka?: ExotelKafkaConnectionOptions & {
      /** Topics are `<prefix>.exophones`, `.calls`, `.incidents`, `.support`. @default 'exotel' */
      topicPrefix?: string;
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

/** Options of `CallsService` and its jobs. */
export interface ExotelCallsOptions {
  /** ExoPhone (SID or number) used when a call names no caller id. */
  defaultCallerId?: string;
  /**
   * Where Exotel posts status callbacks: the public URL of `POST /exotel/callback/status` with
   * `?key=<webhook secret>`. Not stored, logged or published (it carries the secret). Without it
   * (or `webhooks.publicBaseUrl`, which derives it) calls are settled by reconciliation only.
   * @default derived from `webhooks.publicBaseUrl`
   */
  statusCallbackUrl?: string;
  /** Status callback events asked for. @default ['terminal', 'answered'] */
  statusCallbackEvents?: ('terminal' | 'answered')[];
  /** Body format of the callbacks; Exotel's default is multipart/form-data. */
  statusCallbackContentType?: 'multipart/form-data' | 'application/json';
  /** Retries of Calls/connect answered 429 (nothing was placed), honouring `Retry-After`. */
  rateLimitRetries?: {
    /** Attempts in all, the first included. @default 3 */
    maxAttempts?: number;
    /** Longest total wait across the retries; a longer `Retry-After` ends them. @default 10000 */
    maxWaitMs?: number;
    /** Wait when Exotel sends no `Retry-After`; doubles each retry. @default 1000 */
    fallbackDelayMs?: number;
  };
  /** Retries of Calls/connect that failed before the request was sent (connect timeout, refused). */
  notSentRetries?: {
    /** Attempts in all, the first included. @default 3 */
    maxAttempts?: number;
    /** Wait before a retry; doubles each retry. @default 200 */
    delayMs?: number;
  };
  /** The job that settles calls whose outcome is unknown. */
  reconcile?: {
    /** Time between runs. @default 30000 */
    intervalMs?: number;
    /** After this long since the request the job gives up (`call.reconciled` finding `gave_up`). @default 21600000 (6 h) */
    giveUpAfterMs?: number;
    /** Unknown calls looked up per run (each costs one or two voice API requests). @default 20 */
    batchSize?: number;
    /** The bulk search window starts this long before the request (clock skew). @default 120000 */
    lookBackMs?: number;
    /**
     * An initiated call without a terminal status callback for this long is looked up with the
     * call-details API, and settled from it once Exotel reports it finished (a lost callback, or no
     * status callback URL); each such call is looked up at most once per this interval. @default 300000 (5 min)
     */
    silentAfterMs?: number;
  };
  /** Rolling Calls/connect latency percentiles and the thresholds that raise `call.latency_degraded`. */
  latency?: {
    /** Threshold of the median, in milliseconds. @default 480 (Exotel's published average) */
    p50Ms?: number;
    /** Threshold of the 95th percentile, in milliseconds. @default 1100 */
    p95Ms?: number;
    /** Threshold of the 99th percentile, in milliseconds. @default 2500 */
    p99Ms?: number;
    /** Latest samples the percentiles are computed over. @default 200 */
    windowSize?: number;
    /** Samples needed before the thresholds are judged. @default 20 */
    minSamples?: number;
  };
}

/**
 * A version of the support policy given in the options, e.g. when Exotel revises its policy or a
 * contract says otherwise. It applies to tickets opened from `effectiveFrom` on.
 */
export interface SlaPolicyVersionOption {
  /** Stable id, recorded on each ticket; the built-in version is `exotel-v1` (reuse it to replace it). */
  id: string;
  /** First instant the version applies to: a `Date` or an ISO 8601 instant with offset. */
  effectiveFrom: Date | string;
  /** Acknowledgement and response targets for each severity 1-4, in minutes of coverage time. */
  targets: Record<TicketSeverity, SlaTargets>;
  /** Coverage per plan; a plan left out keeps Exotel's (enterprise 24x7, SME/SMB 08:00-22:00 IST). */
  coverage?: Partial<Record<SupportPlan, CoverageHours>>;
}

/** Options of the support SLA. */
export interface ExotelSupportOptions {
  /**
   * The account's Exotel support plan, used for tickets that do not name one: `enterprise` (24x7)
   * or `sme` / `smb` (08:00-22:00 Asia/Kolkata every day).
   * @default 'enterprise'
   */
  plan?: SupportPlan;
  /** Fraction of a target after which `sla.warning` is published, between 0 and 1. @default 0.75 */
  warningFraction?: number;
  /**
   * Open a ticket when an unplanned incident opens (`incident.opened`): severity 1 for outages,
   * severity 2 for degraded performance (API slowness). @default false
   */
  openTicketsForIncidents?: boolean;
  /** Interval of the job that publishes SLA warnings and breaches. @default 30000 */
  checkIntervalMs?: number;
  /** Policy versions besides (or replacing) Exotel's published one. @default [] */
  policyVersions?: SlaPolicyVersionOption[];
}

/** Options after defaults were applied and validation passed; frozen and shared by every service. */
export interface ResolvedExotelOptions {
  readonly credentials: Readonly<ExotelCredentials>;
  readonly subdomain: ExotelSubdomain;
  /** Base URL actually used (from `baseUrl` or `subdomain`), without a trailing slash. */
  readonly baseUrl: string;
  readonly timeouts: { readonly connectMs: number; readonly requestMs: number };
  readonly rateLimit: {
    readonly voiceRequestsPerMinute: number;
    readonly exophoneDetailsPerMinute: number;
    readonly maxWaitMs: number;
    readonly periodMs: number;
  };
  readonly retry: { readonly maxRetries: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly arrayEncoding: ExotelArrayEncoding;
  readonly applets: { readonly defaultAppId?: string; readonly templates: Readonly<Record<string, string>> };
  readonly webhooks: { readonly secrets: readonly string[]; readonly publicBaseUrl?: string };
  readonly management: { readonly apiKeys: readonly string[] };
  readonly jobs: { readonly enabled: boolean };
  readonly exophones: {
    readonly failoverPool: readonly string[];
    readonly customerFacing: readonly string[];
    readonly syncOnStart: boolean;
    readonly syncIntervalMinutes: number;
  };
  readonly heartbeat: {
    readonly frequencySeconds: number;
    readonly missedAfterIntervals: number;
    readonly maxBodyBytes: number;
    readonly criticalMeansNotReady: boolean;
    readonly retentionHours: number;
    readonly sweepTickMs: number;
  };
  readonly support: {
    readonly plan: SupportPlan;
    readonly warningFraction: number;
    readonly openTicketsForIncidents: boolean;
    readonly checkIntervalMs: number;
    /** The configured versions, with dates parsed and coverage completed. */
    readonly policyVersions: readonly SlaPolicyVersion[];
  };
  readonly events: {
    readonly source: string;
    readonly kafka?: ResolvedKafkaOptions;
    readonly relay: {
      readonly batchSize: number;
      readonly pollIntervalMs: number;
      readonly maxBackoffMs: number;
      readonly drainOnShutdownMs: number;
      readonly concurrency: number;
    };
    readonly handlers: { readonly maxAttempts: number; readonly retryDelayMs: number };
    readonly retentionHours: number;
    readonly lagWarningSeconds: number;
  };
  readonly incidents: {
    readonly checkIntervalMs: number;
    readonly api: {
      readonly failureThreshold: number;
      readonly windowMs: number;
      readonly recoverAfterSuccesses: number;
      readonly probeIntervalMs: number;
    };
  };
  readonly voice: ResolvedVoiceOptions;
  readonly calls: ResolvedCallsOptions;
}

/** The `calls` options after defaults. */
export interface ResolvedCallsOptions {
  readonly defaultCallerId?: string;
  readonly statusCallbackUrl?: string;
  readonly statusCallbackEvents: readonly ('terminal' | 'answered')[];
  readonly statusCallbackContentType?: 'multipart/form-data' | 'application/json';
  readonly rateLimitRetries: {
    readonly maxAttempts: number;
    readonly maxWaitMs: number;
    readonly fallbackDelayMs: number;
  };
  readonly notSentRetries: { readonly maxAttempts: number; readonly delayMs: number };
  readonly reconcile: {
    readonly intervalMs: number;
    readonly giveUpAfterMs: number;
    readonly batchSize: number;
    readonly lookBackMs: number;
    readonly silentAfterMs: number;
  };
  readonly latency: {
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly p99Ms: number;
    readonly windowSize: number;
    readonly minSamples: number;
  };
}

/** Kafka settings after defaults. */
export type ResolvedKafkaOptions = Readonly<
  Required<Omit<ExotelKafkaConnectionOptions, 'sasl' | 'socketFactory'>> &
    Pick<ExotelKafkaConnectionOptions, 'sasl' | 'socketFactory'> & { topicPrefix: string }
>;

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

/** Voice options after defaults. */
export interface ResolvedVoiceOptions {
  readonly stream: {
    readonly enabled: boolean;
    /** With a leading slash. */
    readonly path: string;
    readonly encoding: 'auto' | 'pcm16' | 'mulaw';
    readonly sampleRate: 'auto' | 8000 | 16000 | 24000;
    readonly sendFrameMs: number;
    readonly maxMessageBytes: number;
    readonly startTimeoutMs: number;
  };
  readonly transfer: {
    readonly record: boolean;
    readonly recordingChannels: 'single' | 'dual';
    readonly maxRingingDurationSeconds: number;
    readonly maxConversationDurationSeconds: number;
    readonly musicOnHold: 'operator_tone' | 'default_tone';
    readonly outgoingPhoneNumber?: string;
    readonly announcement?: string;
  };
}
