import {
  ExotelSimulator,
  startDemoScenario,
  type DemoScenario,
  type DemoScenarioOptions,
} from 'exotel-simulator';
import { randomBytes } from 'node:crypto';
import type { ServiceConfig } from '../config/service-config';

/** A demo run: the config pointed at a simulator started in this process. */
export interface DemoSetup {
  readonly config: ServiceConfig;
  readonly simulator: ExotelSimulator;
  /** Keys and secrets generated for this run, to print once. */
  readonly generated: { readonly serviceApiKey?: string; readonly webhookSecret?: string };
  /**
   * Starts the demo's scenario once the service listens at `serviceUrl`: heartbeats to
   * `<serviceUrl>/exotel/heartbeat?key=<webhook secret>` and ExoPhone outages coming and going.
   */
  startScenario(serviceUrl: string, onChange?: DemoScenarioOptions['onChange']): DemoScenario;
}

/**
 * Starts the Exotel simulator in-process and points the service at it, generating a webhook secret
 * and a management API key unless the environment gave them.
 */
export async function startDemo(config: ServiceConfig): Promise<DemoSetup> {
  // Exotel's published Calls/connect latency, so the demo feels like the real thing.
  const simulator = new ExotelSimulator({ latency: true });
  const baseUrl = await simulator.start();
  const webhookSecret =
    config.exotel.webhookSecrets.length === 0 ? randomBytes(24).toString('hex') : undefined;
  const serviceApiKey = config.serviceApiKeys.length === 0 ? randomBytes(24).toString('hex') : undefined;
  const secret = webhookSecret ?? config.exotel.webhookSecrets[0];
  return {
    simulator,
    generated: { serviceApiKey, webhookSecret },
    startScenario: (serviceUrl, onChange) =>
      startDemoScenario(simulator, {
        heartbeatUrl: `${serviceUrl}/exotel/heartbeat?key=${encodeURIComponent(secret)}`,
        heartbeatIntervalSeconds: config.heartbeatFrequencyMinutes * 60,
        onChange,
      }),
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
