import { ExotelSimulator, Faults, type ExotelSimulatorOptions } from 'exotel-simulator';
import { ScriptedServer } from '../support/scripted-server';
import { simRequest, v1 } from '../support/simulator-http';

const CONNECT: [string, string][] = [
  ['From', '+919876543210'],
  ['To', '+919812345678'],
  ['CallerId', '08047491899'],
];

describe('simulator rate limits and fault injection (e2e)', () => {
  let simulator: ExotelSimulator;

  async function boot(options: ExotelSimulatorOptions = {}): Promise<void> {
    simulator = new ExotelSimulator({ speed: 1000, ...options });
    await simulator.start();
  }

  const afterThis: (() => Promise<void>)[] = [];

  afterEach(async () => {
    await simulator.stop();
    for (const cleanup of afterThis.splice(0)) await cleanup();
  });

  const connect = () => simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form: CONNECT });

  describe('rate limits', () => {
    it('answers 429 past 200 voice requests a minute, across the voice endpoints only', async () => {
      await boot();
      const first = await connect();
      for (let i = 0; i < 99; i++) expect((await connect()).status).toBe(200);
      for (let i = 0; i < 50; i++)
        expect((await simRequest(simulator, v1(simulator, `Calls/${first.json.Call.Sid}.json`))).status).toBe(
          200,
        );
      for (let i = 0; i < 50; i++)
        expect((await simRequest(simulator, v1(simulator, 'Calls.json'))).status).toBe(200);
      const limited = await connect();
      expect(limited.status).toBe(429);
      expect(limited.json).toEqual({ RestException: { Status: 429, Message: 'Too Many Requests' } });
      expect(limited.headers.get('retry-after')).toBeNull();
      expect((await simRequest(simulator, v1(simulator, 'Calls.json'))).status).toBe(429);
      const list = await simRequest(
        simulator,
        `/v2_beta/Accounts/${simulator.accountSid}/IncomingPhoneNumbers`,
      );
      expect(list.status).toBe(200);
      expect(simulator.calls()).toHaveLength(100);
    });

    it('throttles the ExoPhone details endpoint separately (50 a minute) with the v2 envelope', async () => {
      await boot({ retryAfterOnRateLimit: true });
      const path = `/v2/accounts/${simulator.accountSid}/incoming-phone-numbers/01139585476`;
      for (let i = 0; i < 50; i++) expect((await simRequest(simulator, path)).status).toBe(200);
      const limited = await simRequest(simulator, path);
      expect(limited.status).toBe(429);
      expect(limited.json).toMatchObject({
        http_code: 429,
        response: { code: 429, status: 'failure', error_data: { message: 'Too Many Requests' } },
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await connect()).status).toBe(200);
    });

    it('takes configured limits, or none', async () => {
      await boot({ rateLimits: { voicePerMinute: 2, exophoneDetailsPerMinute: 1 } });
      expect([(await connect()).status, (await connect()).status, (await connect()).status]).toEqual([
        200, 200, 429,
      ]);
      await simulator.stop();
      await boot({ rateLimits: false });
      for (let i = 0; i < 250; i++) expect((await connect()).status).toBe(200);
    });
  });

  describe('faults', () => {
    it.each([
      [
        '403 KYC',
        Faults.kyc(),
        403,
        { RestException: { Status: 403, Message: expect.stringMatching(/not yet KYC compliant.*TRAI/) } },
      ],
      ['402', Faults.paymentRequired(), 402, { RestException: { Status: 402, Message: expect.any(String) } }],
      [
        '400 CallerId',
        Faults.invalidCallerId(),
        400,
        { RestException: { Status: 400, Message: 'CallerId is not a valid ExoPhone' } },
      ],
      ['429', Faults.rateLimited(7), 429, { RestException: { Status: 429, Message: 'Too Many Requests' } }],
      [
        '500',
        Faults.internalError(),
        500,
        { RestException: { Status: 500, Message: 'Internal Server Error' } },
      ],
      [
        '503 Code 35008',
        Faults.serviceUnavailable(),
        503,
        { RestException: { Status: 503, Message: 'Service Unavailable; ', Code: 35008 } },
      ],
    ])('answers %s on Calls/connect without placing a call', async (_name, fault, status, body) => {
      await boot();
      simulator.injectFaults({ fault });
      const answer = await connect();
      expect(answer.status).toBe(status);
      expect(answer.json).toEqual(body);
      if (status === 429) expect(answer.headers.get('retry-after')).toBe('7');
      expect(simulator.calls()).toHaveLength(0);
      expect(simulator.requests()[0]).toMatchObject({ status, fault, endpoint: 'connect' });
      expect((await connect()).status).toBe(200);
    });

    it("answers 504 with the gateway's HTML page", async () => {
      await boot();
      simulator.injectFaults({ fault: Faults.gatewayTimeout() });
      const answer = await connect();
      expect(answer.status).toBe(504);
      expect(answer.headers.get('content-type')).toBe('text/html');
      expect(answer.text).toContain('504 Gateway Time-out');
    });

    it('can place the call and still answer 5xx', async () => {
      await boot();
      simulator.injectFaults({ fault: { status: 500, placeCall: true } });
      const answer = await connect();
      expect(answer.status).toBe(500);
      const [call] = simulator.calls();
      expect(simulator.requests()[0].callSid).toBe(call.sid);
      expect((await simulator.waitForCall(call.sid)).status).toBe('completed');
    });

    it('places the call and withholds the answer until the client gives up (hang after placing)', async () => {
      const receiver = await new ScriptedServer(() => ({ status: 200 })).start();
      afterThis.push(() => receiver.stop());
      await boot();
      simulator.injectFaults({ fault: Faults.hangAfterPlacing() });
      const error = await fetch(`${simulator.baseUrl}${v1(simulator, 'Calls/connect.json')}`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${simulator.apiKey}:${simulator.apiToken}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams([
          ...CONNECT,
          ['StatusCallback', `${receiver.url}/cb`],
          ['CustomField', 'corr-9'],
        ]).toString(),
        signal: AbortSignal.timeout(100),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TimeoutError' });
      const request = await simulator.waitForRequest((r) => r.outcome === 'closed');
      expect(request.status).toBeUndefined();
      const call = simulator.call(request.callSid!)!;
      expect(call.params.customField).toBe('corr-9');
      const terminal = await simulator.waitForCallback((d) => d.callSid === call.sid);
      expect(terminal.ok).toBe(true);
      const details = await simRequest(simulator, v1(simulator, `Calls/${call.sid}.json`));
      expect(details.json.Call.Status).toBe('completed');
    });

    it('hangs a GET without side effects, and faults only the endpoints named', async () => {
      await boot();
      simulator.injectFaults({ fault: Faults.hang(), endpoints: ['call-details'] });
      simulator.injectFaults({ fault: Faults.serviceUnavailable(), endpoints: 'all', count: 2 });
      const placed = await connect();
      expect(placed.status).toBe(503);
      const hung = await fetch(`${simulator.baseUrl}${v1(simulator, 'Calls/x.json')}`, {
        headers: {
          Authorization: `Basic ${Buffer.from(`${simulator.apiKey}:${simulator.apiToken}`).toString('base64')}`,
        },
        signal: AbortSignal.timeout(100),
      }).catch((e: unknown) => e);
      expect(hung).toMatchObject({ name: 'TimeoutError' });
      expect(
        (
          await simRequest(
            simulator,
            `/v2/accounts/${simulator.accountSid}/incoming-phone-numbers/01139585476`,
          )
        ).json,
      ).toMatchObject({
        http_code: 503,
        response: { status: 'failure', error_data: { message: 'Service Unavailable' } },
      });
      expect((await connect()).status).toBe(200);
      expect(simulator.activeFaults()).toEqual([]);
    });

    it('applies a list of faults to the next requests in order, and a rate until cleared', async () => {
      await boot();
      simulator.injectFaults([Faults.internalError(), {}, Faults.serviceUnavailable()]);
      expect([
        (await connect()).status,
        (await connect()).status,
        (await connect()).status,
        (await connect()).status,
      ]).toEqual([500, 200, 503, 200]);
      simulator.injectFaults({ fault: Faults.internalError(), rate: 1 });
      expect([(await connect()).status, (await connect()).status]).toEqual([500, 500]);
      simulator.clearFaults();
      simulator.injectFaults({ fault: Faults.internalError(), rate: 0.5 });
      const statuses = [];
      for (let i = 0; i < 40; i++) statuses.push((await connect()).status);
      expect(statuses).toContain(500);
      expect(statuses).toContain(200);
    });

    it('delays answers by simulated milliseconds, and draws Calls/connect latency when enabled', async () => {
      await boot({ speed: 1 });
      simulator.injectFaults({ fault: Faults.slow(60) });
      expect((await connect()).status).toBe(200);
      expect(simulator.requests()[0].durationMs).toBeGreaterThanOrEqual(55);
      await simulator.stop();
      await boot({ speed: 1000, latency: true });
      simulator.injectFaults({ fault: { delayMs: 30_000 } });
      expect((await connect()).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await connect()).status).toBe(200);
      expect(simulator.calls()).toHaveLength(6);
    });
  });
});
