import { ExoPhoneSweeper, ExotelDatabase, OutboxEventEntity } from 'nestjs-exotel/internal';
import { ExotelSimulator } from 'exotel-simulator';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { until } from '../support/until';

type ExoPhoneList = {
  items: { sid: string; incoming: { state: string }; outgoing: { state: string } }[];
  total: number;
};

// The service against the simulator's real heartbeat emitter and ExoPhone API, background jobs on.
describe('heartbeats from the simulator (e2e)', () => {
  let service: TestService;
  let simulator: ExotelSimulator;
  const list = async (query = ''): Promise<ExoPhoneList> =>
    (await (
      await fetch(`${service.url}/exophones${query}`, { headers: service.auth })
    ).json()) as ExoPhoneList;
  const stateOf = async (sid: string) => (await list()).items.find((e) => e.sid === sid);

  async function start(
    simulatorOptions: ConstructorParameters<typeof ExotelSimulator>[0],
    exotel: Record<string, unknown> = {},
  ) {
    simulator = new ExotelSimulator(simulatorOptions);
    service = await startTestService({
      simulator,
      overrides: { exotel: { heartbeat: { frequencySeconds: 1, sweepTickMs: 100 }, ...exotel } },
    });
    simulator.setHeartbeat({
      url: `${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`,
      intervalSeconds: 3_600,
    });
    // The inventory sync runs in the background at start.
    await until(async () => (await list()).total === simulator.exoPhones().length);
  }

  afterEach(async () => {
    simulator.setHeartbeat(undefined);
    await service.close();
  });

  it('shows an outage flipped in the simulator after one heartbeat, and its end after the next', async () => {
    await start({});
    const [first, second] = simulator.exoPhones();
    await simulator.emitHeartbeatNow();
    await until(
      async () => (await list('?state=active&direction=outgoing')).total === simulator.exoPhones().length,
    );

    simulator.setHealth(first.sid, 'outgoing', 'major_outage');
    simulator.setHealth(second.sid, 'incoming', 'partial_network_outage');
    const delivery = await simulator.emitHeartbeatNow({ shape: 'direct' });
    expect(delivery.ok).toBe(true);
    await until(async () => (await stateOf(first.sid))?.outgoing.state === 'major_outage');
    expect(await stateOf(second.sid)).toMatchObject({
      incoming: { state: 'partial_network_outage' },
      outgoing: { state: 'active' },
    });

    simulator.setHealth(first.sid, 'outgoing', 'active');
    simulator.setHealth(second.sid, 'incoming', 'active');
    await simulator.emitHeartbeatNow();
    const outages = async () =>
      (await list('?state=major_outage')).total + (await list('?state=partial_network_outage')).total;
    await until(async () => (await outages()) === 0);
    expect((await list('?state=active&direction=incoming')).total).toBe(simulator.exoPhones().length);
    expect((await list('?state=active&direction=outgoing')).total).toBe(simulator.exoPhones().length);
  });

  it('sweeps the ExoPhone-details API after PAYLOAD_TOO_LARGE, within the throttle', async () => {
    // Exotel's 50 a minute, counted over 2 s on both sides so the test takes seconds, not minutes.
    const throttle = { exophoneDetailsPerMinute: 11, windowMs: 2_000 };
    await start(
      { exoPhones: 30, rateLimits: { voicePerMinute: 1_000, ...throttle } },
      { rateLimit: { exophoneDetailsPerMinute: 11, periodMs: 2_000 } },
    );
    const down = simulator.exoPhones().slice(0, 3);
    for (const exoPhone of down) simulator.setHealth(exoPhone.sid, 'outgoing', 'major_outage');
    simulator.scriptPayloadTooLarge(1);
    const delivery = await simulator.emitHeartbeatNow();
    expect(delivery.payload).toMatchObject({ status_type: 'PAYLOAD_TOO_LARGE' });

    const sweeper = service.app.get(ExoPhoneSweeper);
    await until(async () => (await sweeper.current()) !== null);
    await until(async () => (await sweeper.current()) === null, 60_000);

    const details = simulator.requests().filter((r) => r.endpoint === 'exophone-details');
    expect(details.filter((r) => r.status === 200)).toHaveLength(30);
    expect(details.filter((r) => r.status === 429)).toHaveLength(0);
    // Never more than the throttle in any 2 s window.
    const times = details.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      expect(
        times.filter((t) => t >= times[i] && t < times[i] + throttle.windowMs).length,
      ).toBeLessThanOrEqual(throttle.exophoneDetailsPerMinute);
    }
    const outages = (await list('?state=major_outage&direction=outgoing')).items.map((e) => e.sid).sort();
    expect(outages).toEqual(down.map((e) => e.sid).sort());
    expect((await list('?state=active&direction=incoming')).total).toBe(30);
  });

  it('raises heartbeat.missed when the heartbeats stop, and sweeps instead', async () => {
    await start({});
    simulator.setHeartbeat({
      url: `${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`,
      intervalSeconds: 1,
    });
    await simulator.waitForHeartbeat((d) => d.ok);
    simulator.setHeartbeat(undefined);
    const db = service.app.get(ExotelDatabase);
    const missed = await until(
      () => db.read((m) => m.findOneBy(OutboxEventEntity, { type: 'heartbeat.missed' })),
      15_000,
    );
    expect(missed.data).toMatchObject({ expectedEverySeconds: 1 });
    await until(async () => simulator.requests().some((r) => r.endpoint === 'exophone-details'));
  });
});
