/** Defaults applied to `ExotelModuleOptions`, in one place so the README and the code agree. */
export const EXOTEL_OPTION_DEFAULTS = {
  subdomain: 'api.exotel.com',
  timeouts: { connectMs: 5_000, requestMs: 35_000 },
  rateLimit: { voiceRequestsPerMinute: 200, exophoneDetailsPerMinute: 50, maxWaitMs: 30_000 },
  retry: { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 10_000 },
  arrayEncoding: 'brackets',
  eventSource: 'urn:nestjs-exotel',
  support: {
    plan: 'enterprise',
    warningFraction: 0.75,
    openTicketsForIncidents: false,
    checkIntervalMs: 30_000,
  },
} as const;

/** Shortest webhook secret accepted: it is the only thing between the internet and the webhooks. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;
