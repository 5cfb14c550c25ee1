import { ExotelSimulator } from '@app/exotel-simulator';
import { randomBytes } from 'node:crypto';
import type { ServiceConfig } from '../config/service-config';

/** A demo run: the config pointed at a simulator started in this process. */
export interface DemoSetup {
  readonly config: ServiceConfig;
  readonly simulator: ExotelSimulator;
  /** Keys and secrets generated for this run, to print once. */
  readonly generated: { readonly serviceApiKey?: string; readonly webhookSecret?: string };
}

/**
 * Starts the Exotel simulator in-process and points the service at it, generating a webhook secret
 * and a management API key unless the environment gave them.
 */
export async function startDemo(config: ServiceConfig): Promise<DemoSetup> {
  const simulator = new ExotelSimulator();
  const baseUrl = await simulator.start();
  const webhookSecret =
    config.exotel.webhookSecrets.length === 0 ? randomBytes(24).toString('hex') : undefined;
  const serviceApiKey = config.serviceApiKeys.length === 0 ? randomBytes(24).toString('hex') : undefined;
  return {
    simulator,
    generated: { serviceApiKey, webhookSecret },
    config: {
      ...config,
      exotel: {
        ...config.exotel,
        apiKey: simulator.apiKey,
        apiToken: simulator.apiToken,
        accountSid: simulator.accountSid,
        baseUrl,
        webhookSecrets: webhookSecret ? [webhookSecret] : config.exotel.webhookSecrets,
      },
      serviceApiKeys: serviceApiKey ? [serviceApiKey] : config.serviceApiKeys,
    },
  };
}
