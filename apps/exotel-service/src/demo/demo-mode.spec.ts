import { loadServiceConfig } from '../config/service-config';
import { startDemo } from './demo-mode';

describe('startDemo', () => {
  it('points the service at an in-process simulator and aims its heartbeats at the service', async () => {
    const demo = await startDemo(loadServiceConfig({}));
    try {
      expect(demo.config.exotel).toMatchObject({
        baseUrl: demo.simulator.baseUrl,
        accountSid: demo.simulator.accountSid,
        apiKey: demo.simulator.apiKey,
        apiToken: demo.simulator.apiToken,
        webhookSecrets: [demo.generated.webhookSecret],
      });
      const scenario = demo.startScenario('http://127.0.0.1:3000');
      expect(demo.simulator.heartbeatSettings()).toEqual({
        url: `http://127.0.0.1:3000/exotel/heartbeat?key=${demo.generated.webhookSecret}`,
        intervalSeconds: 60,
      });
      scenario.stop();
    } finally {
      await demo.simulator.stop();
    }
  });
});
