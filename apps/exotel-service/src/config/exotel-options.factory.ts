import type { ExotelModuleOptions } from 'nestjs-exotel';
import type { ServiceConfig } from './service-config';

/** Maps the service configuration onto `ExotelModule` options. */
export function exotelOptionsFrom(config: ServiceConfig): ExotelModuleOptions {
  const exotel = config.exotel;
  return {
    credentials: { apiKey: exotel.apiKey, apiToken: exotel.apiToken, accountSid: exotel.accountSid },
    subdomain: exotel.subdomain,
    baseUrl: exotel.baseUrl,
    timeouts: { connectMs: exotel.connectTimeoutMs, requestMs: exotel.requestTimeoutMs },
    // REDIS_URL / RATE_LIMIT_STORE: the budget every replica of the account shares.
    rateLimit: {
      voiceRequestsPerMinute: exotel.voiceRequestsPerMinute,
      store: exotel.rateLimitStore,
      redisUrl: exotel.redisUrl,
    },
    applets: { defaultAppId: exotel.defaultAppletId, templates: { ...exotel.templateApplets } },
    // PUBLIC_BASE_URL: Exotel posts status callbacks under it (the module derives the URL).
    webhooks: { secrets: [...exotel.webhookSecrets], publicBaseUrl: config.http.publicBaseUrl },
    management: { apiKeys: [...config.serviceApiKeys] },
    exophones: {
      failoverPool: [...config.exophones.failoverPool],
      customerFacing: [...config.exophones.customerFacing],
    },
    heartbeat: { frequencySeconds: config.heartbeatFrequencyMinutes * 60 },
    // SUPPORT_PLAN: the plan of tickets that do not name one, hence their coverage hours.
    support: { plan: config.supportPlan },
    calls: {
      defaultCallerId: exotel.defaultCallerId,
    },
    events: {
      source: `urn:nestjs-exotel:${exotel.accountSid}`,
      kafka:
        config.kafka.brokers.length > 0
          ? {
              brokers: [...config.kafka.brokers],
              topicPrefix: config.kafka.topicPrefix,
              clientId: config.kafka.clientId,
              ssl: config.kafka.ssl,
              idempotent: config.kafka.idempotent,
              sasl: config.kafka.sasl ? { ...config.kafka.sasl } : undefined,
            }
          : undefined,
    },
  };
}
