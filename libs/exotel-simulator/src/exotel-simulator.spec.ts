import { ScriptedServer } from '../../../test/support/scripted-server';
import { ExotelSimulator } from './exotel-simulator';

describe('ExotelSimulator heartbeats from the options', () => {
  it('sends the first one as soon as it listens, not one interval later', async () => {
    const receiver = await new ScriptedServer(() => ({ status: 200 })).start();
    // An hour: a heartbeat that arrives at all was sent at start.
    const simulator = new ExotelSimulator({
      heartbeat: { url: `${receiver.url}/hb`, intervalSeconds: 3600 },
    });
    try {
      await simulator.start();
      const first = await simulator.waitForHeartbeat();
      expect(first).toMatchObject({ ok: true, statusType: 'OK' });
      expect(receiver.requests.map((r) => r.url)).toEqual(['/hb']);
    } finally {
      await simulator.stop();
      await receiver.stop();
    }
  });
});
