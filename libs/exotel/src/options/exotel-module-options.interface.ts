import type { ExotelKafkaConnectionOptions } from '../events/kafka/kafka-connection.options';
import type {
  CoverageHours,
  SlaPolicyVersion,
  SlaTargets,
  SupportPlan,
  TicketSeverity,
} from '../support/sla-policy';

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
       * Batches claimed and delivered at once by one relay, on PostgreSQL (SQLite always uses 1).
       * Claims never reorder a subject, so this only adds throughput. @default 3
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
  };
  readonly retry: { readonly maxRetries: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly arrayEncoding: ExotelArrayEncoding;
  readonly applets: { readonly defaultAppId?: string; readonly templates: Readonly<Record<string, string>> };
  readonly webhooks: { readonly secrets: readonly string[] };
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
}

/** Kafka settings after defaults. */
export type ResolvedKafkaOptions = Readonly<
  Required<Omit<ExotelKafkaConnectionOptions, 'sasl' | 'socketFactory'>> &
    Pick<ExotelKafkaConnectionOptions, 'sasl' | 'socketFactory'> & { topicPrefix: string }
>;
