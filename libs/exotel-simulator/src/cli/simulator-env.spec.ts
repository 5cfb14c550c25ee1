import { SimulatorEnvError, simulatorOptionsFromEnv } from './simulator-env';

describe('simulatorOptionsFromEnv', () => {
  it('defaults to a realistic Exotel on port 4010', () => {
    expect(simulatorOptionsFromEnv({})).toEqual({
      port: 4010,
      host: '0.0.0.0',
      accountSid: undefined,
      apiKey: undefined,
      apiToken: undefined,
      seed: undefined,
      speed: 1,
      exoPhones: 8,
      latency: true,
      rateLimits: undefined,
      heartbeat: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      simulatorOptionsFromEnv({
        SIMULATOR_PORT: '0',
        SIMULATOR_HOST: '127.0.0.1',
        EXOTEL_SID: 'acme',
        EXOTEL_API_KEY: 'k',
        EXOTEL_API_TOKEN: 't',
        SIMULATOR_SEED: '42',
        SIMULATOR_SPEED: '60',
        SIMULATOR_EXOPHONES: '50000',
        SIMULATOR_LATENCY: 'off',
        SIMULATOR_RATE_LIMITS: 'off',
        SIMULATOR_HEARTBEAT_URL: 'http://127.0.0.1:3000/exotel/heartbeat?key=x',
        SIMULATOR_HEARTBEAT_INTERVAL_SECONDS: '5',
        SIMULATOR_HOST_ALIASES: 'api.exotel.com, api.in.exotel.com',
      }),
    ).toEqual({
      port: 0,
      host: '127.0.0.1',
      accountSid: 'acme',
      apiKey: 'k',
      apiToken: 't',
      seed: 42,
      speed: 60,
      exoPhones: 50000,
      latency: false,
      rateLimits: false,
      heartbeat: { url: 'http://127.0.0.1:3000/exotel/heartbeat?key=x', intervalSeconds: 5 },
      hostAliases: ['api.exotel.com', 'api.in.exotel.com'],
    });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      simulatorOptionsFromEnv({
        SIMULATOR_PORT: 'x',
        SIMULATOR_SPEED: '0',
        SIMULATOR_LATENCY: 'maybe',
        SIMULATOR_HEARTBEAT_URL: 'ftp://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulatorEnvError);
    const message = (error as Error).message;
    for (const name of ['SIMULATOR_PORT', 'SIMULATOR_SPEED', 'SIMULATOR_LATENCY', 'SIMULATOR_HEARTBEAT_URL'])
      expect(message).toContain(name);
  });
});
