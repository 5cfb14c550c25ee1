import { ScriptedServer } from '../../../../test/support/scripted-server';
import { ExotelSimulator } from '../exotel-simulator';
import { startDemoScenario } from './demo-scenario';

describe('startDemoScenario', () => {
  it('sends heartbeats and makes outages come and go, surviving a receiver without the route', async () => {
    const receiver = await new ScriptedServer(() => ({ status: 404 })).start();
    const simulator = new ExotelSimulator({ delivery: { retryDelayMs: 1 } });
    await simulator.start();
    const changes: { sid: string; status: string }[] = [];
    const scenario = startDemoScenario(simulator, {
      heartbeatUrl: `${receiver.url}/exotel/heartbeat?key=demo-secret`,
      heartbeatIntervalSeconds: 0.02,
      changeEverySeconds: 0.01,
      maxConcurrentOutages: 2,
      onChange: (change) => changes.push(change),
    });
    try {
      await simulator.waitFor(() => changes.some((c) => c.status === 'active') && changes.length >= 4);
      await simulator.waitForHeartbeat((h) => h.statusType !== 'OK');
      expect(receiver.requests[0].url).toBe('/exotel/heartbeat?key=demo-secret');
      expect(simulator.heartbeats().every((h) => !h.ok)).toBe(true);
      const down = simulator
        .exoPhones()
        .filter(
          (p) =>
            simulator.health(p.sid, 'incoming') !== 'active' ||
            simulator.health(p.sid, 'outgoing') !== 'active',
        );
      expect(down.length).toBeLessThanOrEqual(2);
    } finally {
      scenario.stop();
      await simulator.stop();
      await receiver.stop();
    }
    expect(simulator.heartbeatSettings()).toBeUndefined();
  });

  it('sends the first heartbeat at once, so the service knows every ExoPhone from the start', async () => {
    const receiver = await new ScriptedServer(() => ({ status: 200 })).start();
    const simulator = new ExotelSimulator();
    await simulator.start();
    // An hour between heartbeats and changes: a heartbeat that arrives was sent at start.
    const scenario = startDemoScenario(simulator, {
      heartbeatUrl: `${receiver.url}/exotel/heartbeat?key=demo-secret`,
      heartbeatIntervalSeconds: 3600,
      changeEverySeconds: 3600,
    });
    try {
      expect(await simulator.waitForHeartbeat()).toMatchObject({ ok: true, statusType: 'OK' });
      expect(receiver.requests.map((r) => r.url)).toEqual(['/exotel/heartbeat?key=demo-secret']);
    } finally {
      scenario.stop();
      await simulator.stop();
      await receiver.stop();
    }
  });
});
