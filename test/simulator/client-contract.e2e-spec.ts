import {
  ExotelApiError,
  ExotelAuthError,
  ExotelClient,
  ExotelModule,
  ExotelRateLimitError,
  ExotelTimeoutError,
  type ConnectCallRequest,
  type ExotelArrayEncoding,
  type ExotelModuleOptions,
} from 'nestjs-exotel';
import { ExotelSimulator, Faults, type ExotelSimulatorOptions } from 'exotel-simulator';
import { Test, type TestingModule } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { EXOTEL_CALL_FIELDS } from '../support/simulator-http';
import { TEST_CREDENTIALS, TEST_MANAGEMENT, TEST_WEBHOOKS, typeOrmFor } from '../support/test-modules';

const CALLER_ID = '08047491899';

/**
 * The requests ExotelClient makes, against the simulator: if either side changes how it speaks
 * Exotel's API, this suite fails, so the client and the simulator cannot drift apart.
 */
describe('ExotelClient against the simulator (contract)', () => {
  let simulator: ExotelSimulator;
  let database: TestDatabase;
  let moduleRef: TestingModule | undefined;
  let client: ExotelClient;

  async function boot(
    simulatorOptions: ExotelSimulatorOptions = {},
    moduleOptions: Partial<ExotelModuleOptions> = {},
  ): Promise<void> {
    simulator = new ExotelSimulator({ ...TEST_CREDENTIALS, speed: 1000, ...simulatorOptions });
    await simulator.start();
    moduleRef = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: TEST_CREDENTIALS,
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
          baseUrl: simulator.baseUrl,
          jobs: { enabled: false },
          timeouts: { connectMs: 500, requestMs: 2_000 },
          retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20 },
          rateLimit: { voiceRequestsPerMinute: 10_000, exophoneDetailsPerMinute: 10_000, maxWaitMs: 0 },
          ...moduleOptions,
        }),
      ],
    }).compile();
    await moduleRef.init();
    client = moduleRef.get(ExotelClient);
  }

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
    await simulator.stop();
    await database.drop();
  });

  const CONNECT = { from: '+919876543210', to: '+919812345678', callerId: CALLER_ID };
  const EVERY_PARAMETER: Omit<ConnectCallRequest, 'from' | 'to' | 'callerId'> = {
    callType: 'trans',
    timeLimit: 600,
    timeOut: 30,
    waitUrl: 'https://cdn.example/wait.wav',
    record: true,
    recordingChannels: 'dual',
    recordingFormat: 'mp3',
    customField: 'corr-1',
    statusCallback: 'http://127.0.0.1:1/status?key=s3cret',
    statusCallbackEvents: ['terminal', 'answered'],
    statusCallbackContentType: 'application/json',
  };

  describe('connectCall', () => {
    it('connects two numbers with every parameter the client writes', async () => {
      await boot();
      const { value, latencyMs } = await client.connectCall({ ...CONNECT, ...EVERY_PARAMETER });
      expect(latencyMs).toBeGreaterThanOrEqual(0);
      expect(Object.keys(value)).toEqual(EXOTEL_CALL_FIELDS);
      expect(value).toMatchObject({
        Status: 'in-progress',
        From: '09876543210',
        To: '09812345678',
        PhoneNumberSid: CALLER_ID,
      });
      expect(simulator.call(value.Sid)!.params).toMatchObject({ ...CONNECT, ...EVERY_PARAMETER });
    });

    it('connects a number to a flow and to a Voice AI stream', async () => {
      await boot();
      const flow = await client.connectCall({
        from: CONNECT.from,
        callerId: CALLER_ID,
        url: `http://my.exotel.com/${TEST_CREDENTIALS.accountSid}/exoml/start_voice/12345`,
      });
      const stream = await client.connectCall({
        from: CONNECT.from,
        callerId: CALLER_ID,
        streamUrl: 'wss://bot.example/media?sample-rate=16000',
        streamType: 'bidirectional',
        streamName: 'support-bot',
      });
      expect(simulator.call(flow.value.Sid)!.mode).toBe('connect-flow');
      expect(simulator.call(stream.value.Sid)!.mode).toBe('connect-stream');
    });

    it.each(['brackets', 'indexed', 'repeat'] as ExotelArrayEncoding[])(
      'sends StatusCallbackEvents in the %s encoding the simulator reads',
      async (arrayEncoding) => {
        await boot({}, { arrayEncoding });
        const { value } = await client.connectCall({
          ...CONNECT,
          statusCallbackEvents: ['terminal', 'answered'],
        });
        expect(simulator.call(value.Sid)!.params.statusCallbackEvents).toEqual(['terminal', 'answered']);
      },
    );

    it("surfaces Exotel's 400 with its message, and places nothing", async () => {
      await boot();
      const error = await client
        .connectCall({ ...CONNECT, callerId: '08000000000' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelApiError);
      expect(error).toMatchObject({ status: 400, exotelMessage: 'CallerId is not a valid ExoPhone' });
      expect(simulator.calls()).toHaveLength(0);
    });

    it.each([
      [
        '403 KYC',
        Faults.kyc(),
        ExotelAuthError,
        { status: 403, exotelMessage: expect.stringMatching(/KYC/) },
      ],
      [
        '503 Code 35008',
        Faults.serviceUnavailable(),
        ExotelApiError,
        { status: 503, exotelCode: 35008, exotelMessage: 'Service Unavailable' },
      ],
      ['500', Faults.internalError(), ExotelApiError, { status: 500 }],
      ['504 HTML', Faults.gatewayTimeout(), ExotelApiError, { status: 504, exotelMessage: undefined }],
      [
        '429',
        Faults.rateLimited(3),
        ExotelRateLimitError,
        { status: 429, source: 'exotel', retryAfterMs: 3000 },
      ],
    ])('maps an injected %s to a typed error, sending once', async (_name, fault, type, fields) => {
      await boot();
      simulator.injectFaults({ fault });
      const error = await client.connectCall(CONNECT).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject(fields);
      expect(simulator.requests()).toHaveLength(1);
    });

    it('times out on a hang after placing: the call exists, and the client sent it once', async () => {
      await boot({}, { timeouts: { connectMs: 100, requestMs: 200 } });
      simulator.injectFaults({ fault: Faults.hangAfterPlacing() });
      const error = await client.connectCall({ ...CONNECT, customField: 'corr-7' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelTimeoutError);
      expect(error).toMatchObject({ mayHaveBeenReceived: true });
      const [request] = simulator.requests();
      expect(simulator.requests()).toHaveLength(1);
      expect(simulator.call(request.callSid!)!.params.customField).toBe('corr-7');
    });

    it("gets Exotel's 429 when the account's voice budget is spent", async () => {
      await boot({ rateLimits: { voicePerMinute: 2 } });
      await client.connectCall(CONNECT);
      await client.connectCall(CONNECT);
      const error = await client.connectCall(CONNECT).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelRateLimitError);
      expect(error).toMatchObject({ source: 'exotel', status: 429, exotelMessage: 'Too Many Requests' });
    });

    it('refuses wrong credentials with ExotelAuthError', async () => {
      await boot({ apiToken: 'another-token' });
      await expect(client.connectCall(CONNECT)).rejects.toBeInstanceOf(ExotelAuthError);
    });
  });

  describe('getCall and listCalls', () => {
    it('reads a finished call with Details and a presigned recording URL', async () => {
      await boot();
      simulator.scriptNumber(CONNECT.to, { ringSeconds: 4, talkSeconds: 20 });
      const { value } = await client.connectCall({ ...CONNECT, record: true });
      await simulator.waitForCall(value.Sid);
      const call = await client.getCall(value.Sid, { details: true, recordingUrlValidity: 10 });
      expect(call).toMatchObject({
        Sid: value.Sid,
        Status: 'completed',
        Duration: '27',
        RecordingUrl: expect.stringContaining(value.Sid),
        PreSignedRecordingUrl: expect.stringContaining('X-Amz-Expires=600'),
        Details: { ConversationDuration: 20, Leg1Status: 'completed', Leg2Status: 'completed' },
      });
      const unknown = await client.getCall('0123456789abcdef0123456789abcdef').catch((e: unknown) => e);
      expect(unknown).toMatchObject({ status: 404 });
    });

    it('retries a GET on 429 and 5xx, honouring Retry-After', async () => {
      await boot();
      const { value } = await client.connectCall(CONNECT);
      simulator.injectFaults({ fault: Faults.rateLimited(0), endpoints: ['call-details'] });
      simulator.injectFaults({ fault: Faults.serviceUnavailable(), endpoints: ['call-details'] });
      await expect(client.getCall(value.Sid)).resolves.toMatchObject({ Sid: value.Sid });
      expect(
        simulator
          .requests()
          .filter((r) => r.endpoint === 'call-details')
          .map((r) => r.status),
      ).toEqual([429, 503, 200]);
    });

    it('filters and pages the bulk list the way the client asks', async () => {
      await boot();
      const sids: string[] = [];
      for (let i = 0; i < 5; i++) sids.push((await client.connectCall(CONNECT)).value.Sid);
      simulator.scriptNumber('+919000000002', { outcome: 'busy' });
      const busy = (await client.connectCall({ ...CONNECT, to: '+919000000002', callerId: '01139585476' }))
        .value.Sid;
      await simulator.waitFor(() => simulator.calls().every((c) => c.endOffset !== undefined));

      const seen: string[] = [];
      let page = await client.listCalls({ pageSize: 2, status: ['completed'], sortBy: 'DateCreated:asc' });
      expect(page.Metadata).toMatchObject({ Total: 5, PageSize: 2, PrevPageUri: null });
      for (;;) {
        seen.push(...page.Calls.map((c) => c.Sid));
        if (!page.Metadata.NextPageUri) break;
        const after = new URL(page.Metadata.NextPageUri, 'http://x').searchParams.get('After')!;
        page = await client.listCalls({
          pageSize: 2,
          status: ['completed'],
          sortBy: 'DateCreated:asc',
          after,
        });
      }
      expect(seen).toEqual(sids);

      const now = Date.now() + 5.5 * 3_600_000;
      const ist = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
      const filtered = await client.listCalls({
        sid: [busy, sids[0]],
        dateCreated: { gte: ist(now - 3_600_000), lte: ist(now + 60_000) },
        to: ['+919000000002'],
        from: ['09876543210'],
        phoneNumber: ['01139585476'],
        status: ['busy', 'completed'],
        direction: ['outbound-api'],
      });
      expect(filtered.Calls.map((c) => c.Sid)).toEqual([busy]);
      const before = await client.listCalls({
        pageSize: 2,
        before: new URL(page.Metadata.PrevPageUri!, 'http://x').searchParams.get('Before')!,
        sortBy: 'DateCreated:asc',
        status: ['completed'],
      });
      expect(before.Calls.map((c) => c.Sid)).toEqual([sids[2], sids[3]]);
    });
  });

  describe('ExoPhones', () => {
    it('pages the v2_beta list and follows next_page_uri to the end', async () => {
      await boot({ exoPhones: 11 });
      const first = await client.listIncomingPhoneNumbers(0, 5);
      expect(first).toMatchObject({ page: 0, page_size: 5, previous_page_uri: null });
      expect(first.incoming_phone_numbers).toHaveLength(5);
      const all = await client.listAllIncomingPhoneNumbers(4);
      expect(all.map((p) => p.sid)).toEqual(simulator.exoPhones().map((p) => p.sid));
      expect(all.every((p) => p.phone_number.startsWith('+91') && p.region)).toBe(true);
    });

    it('reads connectivity from the v2 GET, and the v2 404 envelope', async () => {
      await boot();
      simulator.setHealth('01139585476', 'outgoing', 'major_outage', { alternate: ['+918047491899'] });
      const details = await client.getExoPhone('01139585476');
      expect(details.connectivity).toMatchObject({
        incoming_call: { status: 'active' },
        outgoing_call: { status: 'major_outage', alternate_exophone: ['+918047491899'] },
      });
      const missing = await client.getExoPhone('nope').catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(ExotelApiError);
      expect(missing).toMatchObject({
        status: 404,
        exotelCode: 1000,
        path: '/v2/accounts/{sid}/incoming-phone-numbers/nope',
      });
    });

    it('gets 429 from the ExoPhone details throttle after its retries', async () => {
      await boot({ rateLimits: { exophoneDetailsPerMinute: 1 } });
      await client.getExoPhone('01139585476');
      const error = await client.getExoPhone('01139585476').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExotelRateLimitError);
      expect(error).toMatchObject({ source: 'exotel', status: 429 });
      expect(
        simulator
          .requests()
          .filter((r) => r.endpoint === 'exophone-details')
          .map((r) => r.status),
      ).toEqual([200, 429, 429, 429]);
    });
  });
});
