import { ExotelSimulator } from 'exotel-simulator';
import { ScriptedServer } from '../support/scripted-server';
import { simControl, simRequest, v1 } from '../support/simulator-http';

const CONNECT: [string, string][] = [
  ['From', '+919876543210'],
  ['To', '+919812345678'],
  ['CallerId', '08047491899'],
];

describe('simulator control API /_sim (e2e)', () => {
  let simulator: ExotelSimulator;
  let receiver: ScriptedServer;

  beforeEach(async () => {
    receiver = await new ScriptedServer(() => ({ status: 200 })).start();
    simulator = new ExotelSimulator({ speed: 1000, delivery: { retryDelayMs: 5 } });
    await simulator.start();
  });

  afterEach(async () => {
    await simulator.stop();
    await receiver.stop();
  });

  const connect = (extra: [string, string][] = []) =>
    simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form: [...CONNECT, ...extra] });

  it('describes the simulator without auth', async () => {
    const answer = await simControl(simulator, 'GET', '/_sim');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      accountSid: 'sim-account',
      speed: 1000,
      seed: 20181022,
      exoPhones: 8,
      heartbeat: null,
    });
  });

  it('scripts numbers, lists and hangs up calls', async () => {
    expect(
      (
        await simControl(simulator, 'PUT', `/_sim/numbers/${encodeURIComponent('+919812345678')}/script`, {
          outcome: 'busy',
        })
      ).status,
    ).toBe(204);
    const busy = await connect();
    await simulator.waitForCall(busy.json.Call.Sid);
    expect((await simControl(simulator, 'GET', `/_sim/calls/${busy.json.Call.Sid}`)).json).toMatchObject({
      status: 'busy',
      mode: 'connect-numbers',
    });
    await simControl(simulator, 'DELETE', '/_sim/numbers/09812345678/script');
    await simControl(simulator, 'PUT', '/_sim/numbers/09812345678/script', { talkSeconds: 100_000 });
    const long = await connect();
    await simulator.waitForCall(long.json.Call.Sid, (call) => call.legs[1].status === 'in-progress');
    expect((await simControl(simulator, 'POST', `/_sim/calls/${long.json.Call.Sid}/hangup`)).json).toEqual({
      hungUp: true,
    });
    await simulator.waitForCall(long.json.Call.Sid);
    await simControl(simulator, 'DELETE', '/_sim/numbers');
    const calls = await simControl(simulator, 'GET', '/_sim/calls');
    expect(calls.json.map((c: { status: string }) => c.status)).toEqual(['busy', 'completed']);
    expect((await simControl(simulator, 'GET', '/_sim/calls/nope')).status).toBe(404);
    expect(
      (await simControl(simulator, 'PUT', '/_sim/numbers/1/script', { outcome: 'explode' })).status,
    ).toBe(400);
    expect((await simControl(simulator, 'PUT', '/_sim/numbers/1/script', { ringSeconds: -1 })).status).toBe(
      400,
    );
  });

  it('flips ExoPhone health, seen by the v2 GET', async () => {
    const flipped = await simControl(simulator, 'PUT', '/_sim/exophones/08047491899/health', {
      direction: 'outgoing',
      status: 'partial_network_outage',
      alternate: null,
    });
    expect(flipped.status).toBe(204);
    const list = await simControl(simulator, 'GET', '/_sim/exophones');
    expect(list.json.find((p: { sid: string }) => p.sid === '08047491899')).toMatchObject({
      incoming: 'active',
      outgoing: 'partial_network_outage',
    });
    const v2 = await simRequest(
      simulator,
      `/v2/accounts/${simulator.accountSid}/incoming-phone-numbers/08047491899`,
    );
    expect(v2.json.response[0].data.connectivity.outgoing_call).toMatchObject({
      status: 'partial_network_outage',
      alternate_exophone: null,
    });
    expect(
      (await simControl(simulator, 'PUT', '/_sim/exophones/nope/health', { status: 'active' })).status,
    ).toBe(404);
    expect(
      (await simControl(simulator, 'PUT', '/_sim/exophones/08047491899/health', { status: 'down' })).status,
    ).toBe(400);
    expect(
      (
        await simControl(simulator, 'PUT', '/_sim/exophones/08047491899/health', {
          status: 'active',
          direction: 'sideways',
        })
      ).status,
    ).toBe(400);
  });

  it('configures, triggers and records heartbeats', async () => {
    expect((await simControl(simulator, 'POST', '/_sim/heartbeat/emit', {})).status).toBe(400);
    expect(
      (await simControl(simulator, 'PUT', '/_sim/heartbeat', { url: `${receiver.url}/hb` })).status,
    ).toBe(400);
    expect(
      (
        await simControl(simulator, 'PUT', '/_sim/heartbeat', {
          url: `${receiver.url}/hb`,
          intervalSeconds: 3600,
          shape: 'direct',
        })
      ).status,
    ).toBe(204);
    await simControl(simulator, 'PUT', '/_sim/exophones/01139585476/health', {
      direction: 'both',
      status: 'major_outage',
    });
    const emitted = await simControl(simulator, 'POST', '/_sim/heartbeat/emit', {});
    expect(emitted.json).toMatchObject({
      kind: 'heartbeat',
      statusType: 'WARNING',
      ok: true,
      payload: { data: { '01139585476': { incoming_call: { status: 'major_outage' } } } },
    });
    await simControl(simulator, 'POST', '/_sim/heartbeat/payload-too-large', { times: 1 });
    expect((await simControl(simulator, 'POST', '/_sim/heartbeat/emit')).json.statusType).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect((await simControl(simulator, 'GET', '/_sim/heartbeats')).json).toHaveLength(2);
    expect((await simControl(simulator, 'GET', '/_sim')).json.heartbeat).toMatchObject({
      intervalSeconds: 3600,
    });
    expect((await simControl(simulator, 'DELETE', '/_sim/heartbeat')).status).toBe(204);
    expect(simulator.heartbeatSettings()).toBeUndefined();
  });

  it('injects, lists and clears faults', async () => {
    const added = await simControl(simulator, 'POST', '/_sim/faults', { fault: { status: 503 }, count: 2 });
    expect(added.json).toEqual([expect.objectContaining({ id: expect.any(Number), remaining: 2 })]);
    expect((await connect()).status).toBe(503);
    expect((await simControl(simulator, 'GET', '/_sim/faults')).json).toEqual([
      expect.objectContaining({ remaining: 1 }),
    ]);
    await simControl(simulator, 'DELETE', '/_sim/faults');
    expect((await connect()).status).toBe(200);
    await simControl(simulator, 'POST', '/_sim/faults', {
      faults: [{ status: 500 }, { hang: true, placeCall: false }],
    });
    expect((await connect()).status).toBe(500);
    expect((await simControl(simulator, 'POST', '/_sim/faults', { nope: 1 })).status).toBe(400);
    expect((await simControl(simulator, 'POST', '/_sim/faults', '[1]')).status).toBe(400);
  });

  it('lists recorded requests and callbacks, and resets', async () => {
    await connect([['StatusCallback', `${receiver.url}/cb?key=k`]]);
    await simulator.waitForCallback();
    const requests = await simControl(simulator, 'GET', '/_sim/requests');
    expect(requests.json).toEqual([
      expect.objectContaining({ method: 'POST', endpoint: 'connect', status: 200, outcome: 'answered' }),
    ]);
    expect(JSON.stringify(requests.json)).not.toContain(simulator.apiToken);
    const callbacks = await simControl(simulator, 'GET', '/_sim/callbacks');
    expect(callbacks.json).toEqual([
      expect.objectContaining({ kind: 'status-callback', eventType: 'terminal', ok: true }),
    ]);
    expect((await simControl(simulator, 'POST', '/_sim/reset', { seed: 5 })).status).toBe(204);
    expect((await simControl(simulator, 'GET', '/_sim/calls')).json).toEqual([]);
    expect((await simControl(simulator, 'GET', '/_sim/requests')).json).toEqual([]);
    expect((await simControl(simulator, 'GET', '/_sim/nothing')).status).toBe(404);
    expect((await simControl(simulator, 'POST', '/_sim/reset', { seed: {} })).status).toBe(400);
  });
});
