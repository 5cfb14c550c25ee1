import { ExotelSimulator, type ExotelSimulatorOptions } from 'exotel-simulator';
import { ScriptedServer, type Script } from '../support/scripted-server';
import { simRequest } from '../support/simulator-http';

const DL = '01139585476';
const KA = '08047491899';

describe('simulator heartbeat emitter (e2e)', () => {
  let simulator: ExotelSimulator;
  let receiver: ScriptedServer;

  async function boot(
    script: Script = () => ({ status: 200 }),
    options: ExotelSimulatorOptions = {},
  ): Promise<string> {
    receiver = await new ScriptedServer(script).start();
    simulator = new ExotelSimulator({ delivery: { retryDelayMs: 5 }, ...options });
    await simulator.start();
    const url = `${receiver.url}/exotel/heartbeat?key=hb-secret`;
    simulator.setHeartbeat({ url, intervalSeconds: 3600 });
    return url;
  }

  afterEach(async () => {
    await simulator.stop();
    await receiver.stop();
  });

  it('posts JSON OK with empty arrays and data {} while everything is active', async () => {
    await boot();
    const delivery = await simulator.emitHeartbeatNow();
    expect(delivery).toMatchObject({ ok: true, statusType: 'OK' });
    const [request] = receiver.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/exotel/heartbeat?key=hb-secret');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      status_type: 'OK',
      incoming_affected: [],
      outgoing_affected: [],
      data: {},
    });
    const nulls = await simulator.emitHeartbeatNow({ emptyLists: 'null' });
    expect(nulls.payload).toMatchObject({ incoming_affected: null, outgoing_affected: null, data: {} });
  });

  it('reports WARNING with the connectivity block, consistent with the v2 GET', async () => {
    await boot();
    simulator.setHealth(DL, 'incoming', 'major_outage');
    simulator.setHealth(KA, 'outgoing', 'partial_network_outage', { alternate: '+912233344455' });
    const { payload } = await simulator.emitHeartbeatNow();
    expect(payload.status_type).toBe('WARNING');
    expect(payload.incoming_affected).toEqual([DL]);
    expect(payload.outgoing_affected).toEqual([KA]);
    expect(Object.keys(payload.data).sort()).toEqual([KA, DL].sort());
    expect(payload.data[DL]).toEqual({
      phone_number: '+911139585476',
      connectivity: {
        incoming_call: {
          status: 'major_outage',
          last_check_time: expect.any(String),
          alternate_exophone: ['+918047491899'],
        },
        outgoing_call: { status: 'active', last_check_time: expect.any(String), alternate_exophone: null },
      },
    });
    for (const sid of [DL, KA]) {
      const answer = await simRequest(
        simulator,
        `/v2/accounts/${simulator.accountSid}/incoming-phone-numbers/${sid}`,
      );
      expect(answer.json.response[0].data.connectivity).toEqual(
        (payload.data[sid] as { connectivity: unknown }).connectivity,
      );
    }
  });

  it('never stamps a check before the heartbeat that last reported the ExoPhone, however fast they come', async () => {
    await boot();
    // Heartbeats within one second get timestamps a second apart, so they run ahead of the clock.
    let previous = Date.parse((await simulator.emitHeartbeatNow()).payload.timestamp);
    for (let i = 0; i < 4; i++) {
      simulator.setHealth(DL, 'outgoing', i % 2 === 0 ? 'major_outage' : 'partial_network_outage');
      const { payload } = await simulator.emitHeartbeatNow();
      const checked = (payload.data[DL] as { connectivity: { outgoing_call: { last_check_time: string } } })
        .connectivity.outgoing_call.last_check_time;
      expect(Date.parse(checked)).toBeGreaterThanOrEqual(previous);
      expect(Date.parse(checked)).toBeLessThanOrEqual(Date.parse(payload.timestamp));
      previous = Date.parse(payload.timestamp);
    }
  });

  it('reports CRITICAL when every ExoPhone is affected in some direction', async () => {
    await boot();
    simulator
      .exoPhones()
      .forEach((phone, i) => simulator.setHealth(phone.sid, i % 2 ? 'incoming' : 'outgoing', 'major_outage'));
    const { payload } = await simulator.emitHeartbeatNow();
    expect(payload.status_type).toBe('CRITICAL');
    expect(payload.incoming_affected!.length + payload.outgoing_affected!.length).toBe(
      simulator.exoPhones().length,
    );
    simulator.setHealth(DL, 'both', 'active');
    expect((await simulator.emitHeartbeatNow()).statusType).toBe('WARNING');
  });

  it('describes affected ExoPhones in each shape seen in the wild', async () => {
    await boot();
    simulator.setHealth(DL, 'both', 'major_outage');
    const direct = await simulator.emitHeartbeatNow({ shape: 'direct' });
    expect(direct.payload.data[DL]).toEqual({
      phone_number: '+911139585476',
      incoming_call: expect.objectContaining({ status: 'major_outage' }),
      outgoing_call: expect.objectContaining({ status: 'major_outage' }),
    });
    const bare = await simulator.emitHeartbeatNow({ shape: 'phone-number-only' });
    expect(bare.payload.data[DL]).toEqual({ phone_number: '+911139585476' });
    simulator.setHeartbeat({ url: direct.url, intervalSeconds: 3600, shape: 'direct' });
    expect((await simulator.emitHeartbeatNow()).payload.data[DL]).toHaveProperty('incoming_call');
  });

  it('sends PAYLOAD_TOO_LARGE when scripted, when asked, and when the payload passes the limit', async () => {
    await boot();
    simulator.setHealth(DL, 'both', 'major_outage');
    simulator.scriptPayloadTooLarge(1);
    const scripted = await simulator.emitHeartbeatNow();
    expect(scripted.payload).toEqual({
      timestamp: expect.any(String),
      status_type: 'PAYLOAD_TOO_LARGE',
      incoming_affected: [],
      outgoing_affected: [],
      data: {},
    });
    expect((await simulator.emitHeartbeatNow()).statusType).toBe('WARNING');
    expect((await simulator.emitHeartbeatNow({ payloadTooLarge: true })).statusType).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('switches to PAYLOAD_TOO_LARGE above 10 MB: 50,000 affected ExoPhones', async () => {
    await boot(undefined, { exoPhones: 50_000 });
    for (const phone of simulator.exoPhones()) simulator.setHealth(phone.sid, 'outgoing', 'major_outage');
    const full = await simulator.emitHeartbeatNow();
    expect(full.statusType).toBe('PAYLOAD_TOO_LARGE');
    const small = await simulator.emitHeartbeatNow({ shape: 'phone-number-only' });
    expect(small.statusType).toBe('CRITICAL');
    expect(small.payload.outgoing_affected).toHaveLength(50_000);
    expect(Buffer.byteLength(receiver.requests[1].body)).toBe(Buffer.byteLength(small.body));
  });

  it('retries a heartbeat the receiver refused, with the same body and timestamp', async () => {
    await boot((_request, index) => ({ status: index < 2 ? 502 : 200 }));
    const delivery = await simulator.emitHeartbeatNow();
    expect(delivery.attempts.map((a) => a.status)).toEqual([502, 502, 200]);
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  });

  it('records a receiver that answers 404 without failing (the service may not serve heartbeats yet)', async () => {
    await boot(() => ({ status: 404 }));
    const delivery = await simulator.emitHeartbeatNow();
    expect(delivery).toMatchObject({ ok: false, done: true });
    expect(delivery.attempts).toHaveLength(3);
  });

  it('emits every interval with timestamps that move forward', async () => {
    const url = await boot();
    simulator.setHeartbeat({ url, intervalSeconds: 0.02 });
    await simulator.waitFor(() => simulator.heartbeats().filter((h) => h.done).length >= 3);
    simulator.setHeartbeat(undefined);
    const stamps = simulator.heartbeats().map((h) => Date.parse(h.timestamp));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1]);
  });

  it('starts heartbeats from the options, and reset() keeps them', async () => {
    receiver = await new ScriptedServer(() => ({ status: 200 })).start();
    simulator = new ExotelSimulator({ heartbeat: { url: `${receiver.url}/hb`, intervalSeconds: 0.02 } });
    await simulator.start();
    await simulator.waitForHeartbeat();
    simulator.reset();
    expect(simulator.heartbeats()).toHaveLength(0);
    expect(simulator.heartbeatSettings()?.url).toBe(`${receiver.url}/hb`);
    await simulator.waitForHeartbeat();
  });
});
