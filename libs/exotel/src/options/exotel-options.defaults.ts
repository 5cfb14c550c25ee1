/**
 * Every default of `ExotelModuleOptions`, shaped like the options. The schemas take their defaults
 * from here and nowhere else; the JSDoc `@default` tags (and so the README) are checked against
 * what the schemas resolve by test/docs/options-reference.spec.ts.
 */
export const OPTION_DEFAULTS = {
  subdomain: 'api.exotel.com',
  timeouts: { connectMs: 5_000, requestMs: 35_000 },
  rateLimit: {
    voiceRequestsPerMinute: 200,
    exophoneDetailsPerMinute: 50,
    maxWaitMs: 30_000,
    periodMs: 60_000,
    store: 'auto',
    storeTimeoutMs: 2_000,
  },
  retry: { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 10_000 },
  arrayEncoding: 'brackets',
  applets: { templates: {} },
  webhooks: { secrets: [] },
  management: { apiKeys: [] },
  jobs: { enabled: true },
  support: {
    plan: 'enterprise',
    warningFraction: 0.75,
    openTicketsForIncidents: false,
    checkIntervalMs: 30_000,
    policyVersions: [],
    maxTicketAgeMs: 366 * 24 * 60 * 60 * 1000,
    clockSkewMs: 5 * 60 * 1000,
  },
  exophones: { failoverPool: [], customerFacing: [], syncOnStart: true, syncIntervalMinutes: 60 },
  heartbeat: {
    frequencySeconds: 60,
    missedAfterIntervals: 2,
    maxBodyBytes: 12 * 1024 * 1024,
    criticalMeansNotReady: false,
    retentionHours: 6,
    sweepTickMs: 1_000,
    maxClockSkewMs: 300_000,
    maxApplyAttempts: 3,
  },
  events: {
    source: 'urn:nestjs-exotel',
    // The connection defaults are also those of `ExotelEventsConsumerModule`'s `kafka`.
    kafka: {
      clientId: 'nestjs-exotel',
      ssl: false,
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 10_000,
      topicPrefix: 'exotel',
      idempotent: true,
      stallAfterMs: 5_000,
    },
    relay: {
      batchSize: 500,
      pollIntervalMs: 250,
      maxBackoffMs: 30_000,
      drainOnShutdownMs: 5_000,
      concurrency: 3,
      leaseMs: 15_000,
    },
    handlers: { maxAttempts: 3, retryDelayMs: 200 },
    retentionHours: 72,
    lagWarningSeconds: 60,
  },
  incidents: {
    checkIntervalMs: 30_000,
    api: { failureThreshold: 5, windowMs: 300_000, recoverAfterSuccesses: 3, probeIntervalMs: 30_000 },
  },
  voice: {
    stream: {
      enabled: true,
      path: '/exotel/stream',
      encoding: 'auto',
      sampleRate: 'auto',
      sendFrameMs: 100,
      maxMessageBytes: 1_048_576,
      startTimeoutMs: 10_000,
    },
    transfer: {
      record: false,
      recordingChannels: 'dual',
      maxRingingDurationSeconds: 45,
      maxConversationDurationSeconds: 3_600,
      musicOnHold: 'operator_tone',
    },
  },
  calls: {
    statusCallbackEvents: ['terminal', 'answered'],
    rateLimitRetries: { maxAttempts: 3, maxWaitMs: 10_000, fallbackDelayMs: 1_000 },
    notSentRetries: { maxAttempts: 3, delayMs: 200 },
    reconcile: {
      intervalMs: 30_000,
      giveUpAfterMs: 6 * 3_600_000,
      batchSize: 20,
      lookBackMs: 120_000,
      silentAfterMs: 300_000,
    },
    queue: {
      concurrency: 4,
      pollMs: 1_000,
      claimMs: 60_000,
      callerIdRetryMs: 30_000,
      callerIdWaitMs: 15 * 60_000,
      maxBatchSize: 10_000,
    },
    // Exotel's published Calls/connect latency (seed 003, 22 Oct 2018): ~480 ms average (used as the
    // median), ~1.1 s at the 95th percentile, ~2.5 s at the 99th.
    latency: { p50Ms: 480, p95Ms: 1_100, p99Ms: 2_500, windowSize: 200, minSamples: 20 },
  },
} as const;

const D = OPTION_DEFAULTS;

/**
 * Defaults applied to `ExotelModuleOptions` (a few of them, in the shape this constant was first
 * published in); every default is in `OPTION_DEFAULTS`, which this is taken from.
 */
export const EXOTEL_OPTION_DEFAULTS = {
  subdomain: D.subdomain,
  timeouts: { ...D.timeouts },
  rateLimit: {
    voiceRequestsPerMinute: D.rateLimit.voiceRequestsPerMinute,
    exophoneDetailsPerMinute: D.rateLimit.exophoneDetailsPerMinute,
    maxWaitMs: D.rateLimit.maxWaitMs,
  },
  retry: { ...D.retry },
  arrayEncoding: D.arrayEncoding,
  eventSource: D.events.source,
  support: {
    plan: D.support.plan,
    warningFraction: D.support.warningFraction,
    openTicketsForIncidents: D.support.openTicketsForIncidents,
    checkIntervalMs: D.support.checkIntervalMs,
  },
} as const;

/** Shortest webhook secret accepted: it is the only thing between the internet and the webhooks. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;
