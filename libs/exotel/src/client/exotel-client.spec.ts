import { Test, type TestingModule } from '@nestjs/testing';
import { captureLogs } from '../../../../test/support/capture-logs';
import { ScriptedServer, type Script } from '../../../../test/support/scripted-server';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import {
  TEST_CREDENTIALS,
  TEST_MANAGEMENT,
  TEST_WEBHOOKS,
  typeOrmFor,
} from '../../../../test/support/test-modules';
import { ExotelApiError } from '../errors/exotel-api.error';
import { ExotelAuthError } from '../errors/exotel-auth.error';
import { ExotelNetworkError } from '../errors/exotel-network.error';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';
import { ExotelModule } from '../exotel.module';
import type { ExotelModuleOptions } from '../options/exotel-module-options.interface';
import { ExotelClient } from './exotel-client';

const CALL = {
  Call: {
    Sid: 'c5797dcbaaeed7678c4062a4a3ed2f8a',
    ParentCallSid: null,
    DateCreated: '2026-11-23 10:48:33',
    DateUpdated: '2026-11-23 10:48:33',
    AccountSid: TEST_CREDENTIALS.accountSid,
    To: '09812345678',
    From: '09876543210',
    PhoneNumberSid: '08047491899',
    Status: 'in-progress',
    StartTime: '2026-11-23 10:48:33',
    EndTime: null,
    Duration: null,
    Price: null,
    Direction: 'outbound-api',
    AnsweredBy: null,
    ForwardedFrom: null,
    CallerName: null,
    Uri: `/v1/Accounts/${TEST_CREDENTIALS.accountSid}/Calls/c5797dcbaaeed7678c4062a4a3ed2f8a.json`,
    RecordingUrl: null,
  },
};

const CONNECT = { from: '+919876543210', to: '+919812345678', callerId: '08047491899' };

describe('ExotelClient', () => {
  let server: ScriptedServer;
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let client: ExotelClient;
  const logs = captureLogs();

  async function boot(
    script: Script,
    overrides: Partial<ExotelModuleOptions> = {},
    baseUrl?: string,
  ): Promise<void> {
    server.use(script);
    moduleRef = await Test.createTestingModule({
      imports: [
        typeOrmFor(database),
        ExotelModule.forRoot({
          credentials: TEST_CREDENTIALS,
          baseUrl: baseUrl ?? server.url,
          jobs: { enabled: false },
          management: TEST_MANAGEMENT,
          webhooks: TEST_WEBHOOKS,
          timeouts: { connectMs: 500, requestMs: 1_000 },
          retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 50 },
          ...overrides,
        }),
      ],
    }).compile();
    moduleRef.useLogger(logs.nest);
    await moduleRef.init();
    client = moduleRef.get(ExotelClient);
  }

  beforeEach(async () => {
    database = await createTestDatabase();
    server = await new ScriptedServer(() => ({ status: 200, body: CALL })).start();
  });

  afterEach(async () => {
    await moduleRef?.close();
    await server.stop();
    await database.drop();
  });

  it('posts Calls/connect once, as a form, with Basic auth and no credentials in the URL', async () => {
    await boot(() => ({ status: 200, body: CALL }));
    const { value, latencyMs } = await client.connectCall({
      ...CONNECT,
      timeLimit: 600,
      record: true,
      customField: 'corr-1',
      statusCallback: 'https://hooks.example/status?key=s3cret',
      statusCallbackEvents: ['terminal', 'answered'],
      statusCallbackContentType: 'application/json',
    });
    expect(value.Sid).toBe(CALL.Call.Sid);
    expect(latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/v1/Accounts/${TEST_CREDENTIALS.accountSid}/Calls/connect.json`);
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const expectedAuth = Buffer.from(`${TEST_CREDENTIALS.apiKey}:${TEST_CREDENTIALS.apiToken}`).toString(
      'base64',
    );
    expect(request.headers.authorization).toBe(`Basic ${expectedAuth}`);
    const form = new URLSearchParams(request.body);
    expect(Object.fromEntries(form)).toMatchObject({
      From: CONNECT.from,
      To: CONNECT.to,
      CallerId: CONNECT.callerId,
      TimeLimit: '600',
      Record: 'true',
      CustomField: 'corr-1',
      StatusCallback: 'https://hooks.example/status?key=s3cret',
      StatusCallbackContentType: 'application/json',
    });
    expect(form.getAll('StatusCallbackEvents[]')).toEqual(['terminal', 'answered']);
  });

  it.each([
    ['brackets', ['StatusCallbackEvents[]=terminal', 'StatusCallbackEvents[]=answered']],
    ['indexed', ['StatusCallbackEvents[0]=terminal', 'StatusCallbackEvents[1]=answered']],
    ['repeat', ['StatusCallbackEvents=terminal', 'StatusCallbackEvents=answered']],
  ] as const)('encodes StatusCallbackEvents as %s', async (arrayEncoding, expected) => {
    await boot(() => ({ status: 200, body: CALL }), { arrayEncoding });
    await client.connectCall({ ...CONNECT, statusCallbackEvents: ['terminal', 'answered'] });
    const pairs = decodeURIComponent(server.requests[0].body).split('&');
    expect(pairs.filter((pair) => pair.startsWith('StatusCallbackEvents'))).toEqual(expected);
  });

  it.each([
    [
      400,
      { RestException: { Status: 400, Message: 'CallerId is not a valid ExoPhone' } },
      ExotelApiError,
      undefined,
      'CallerId is not a valid ExoPhone',
    ],
    [
      401,
      { RestException: { Status: 401, Message: 'Authentication is required' } },
      ExotelAuthError,
      undefined,
      'Authentication is required',
    ],
    [
      403,
      { RestException: { Status: 403, Message: 'Your account is not yet KYC compliant.' } },
      ExotelAuthError,
      undefined,
      'Your account is not yet KYC compliant.',
    ],
    [404, { RestException: { Status: 404, Message: 'Not found' } }, ExotelApiError, undefined, 'Not found'],
    [
      429,
      { RestException: { Status: 429, Message: 'Too Many Requests' } },
      ExotelRateLimitError,
      undefined,
      'Too Many Requests',
    ],
    [
      500,
      { RestException: { Status: 500, Message: 'Internal Server Error' } },
      ExotelApiError,
      undefined,
      'Internal Server Error',
    ],
    [
      503,
      { RestException: { Status: 503, Message: 'Service Unavailable; ', Code: 35008 } },
      ExotelApiError,
      35008,
      'Service Unavailable',
    ],
    [504, '<html>Gateway Timeout</html>', ExotelApiError, undefined, undefined],
  ])(
    'maps HTTP %i on Calls/connect to a typed error without retrying',
    async (status, body, type, exotelCode, exotelMessage) => {
      await boot(() => ({ status, body }));
      const error = await client.connectCall(CONNECT).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ status, exotelCode, exotelMessage });
      expect(server.requests).toHaveLength(1);
    },
  );

  it('reads Retry-After on a 429', async () => {
    await boot(() => ({
      status: 429,
      body: { RestException: { Status: 429, Message: 'slow down' } },
      headers: { 'Retry-After': '7' },
    }));
    const error = (await client.connectCall(CONNECT).catch((e: unknown) => e)) as ExotelRateLimitError;
    expect(error).toMatchObject({ source: 'exotel', retryAfterMs: 7000, httpStatus: 429 });
  });

  it('maps the v2 error envelope', async () => {
    await boot(() => ({
      status: 404,
      body: {
        request_id: 'r1',
        method: 'GET',
        http_code: 404,
        response: {
          code: 404,
          error_data: { code: 1000, message: 'Not Found', description: 'Not Found' },
          status: 'failure',
          data: null,
        },
      },
    }));
    const error = await client.getExoPhone('0XXXXXX4890').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelApiError);
    expect(error).toMatchObject({
      status: 404,
      exotelCode: 1000,
      exotelMessage: 'Not Found',
      path: '/v2/accounts/{sid}/incoming-phone-numbers/0XXXXXX4890',
    });
  });

  it('does not retry a POST that timed out, and says it may have been received', async () => {
    await boot(() => 'hang');
    const error = await client.connectCall(CONNECT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelTimeoutError);
    expect(error).toMatchObject({ phase: 'response', mayHaveBeenReceived: true, httpStatus: 504 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a GET on 429, waiting for Retry-After', async () => {
    await boot((_request, index) =>
      index === 0
        ? {
            status: 429,
            body: { RestException: { Status: 429, Message: 'Too Many Requests' } },
            headers: { 'Retry-After': '1' },
          }
        : { status: 200, body: CALL },
    );
    const call = await client.getCall(CALL.Call.Sid, { details: true });
    expect(call.Sid).toBe(CALL.Call.Sid);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(950);
    expect(server.requests[1].url).toBe(
      `/v1/Accounts/${TEST_CREDENTIALS.accountSid}/Calls/${CALL.Call.Sid}.json?details=true`,
    );
  });

  it('retries a GET on 5xx and a hung GET, up to maxRetries', async () => {
    await boot((_request, index) =>
      index < 2
        ? { status: 503, body: { RestException: { Status: 503, Message: 'busy' } } }
        : { status: 200, body: CALL },
    );
    await expect(client.getCall(CALL.Call.Sid)).resolves.toMatchObject({ Sid: CALL.Call.Sid });
    expect(server.requests).toHaveLength(3);

    server.requests.length = 0;
    server.use(() => 'hang');
    await expect(client.getCall(CALL.Call.Sid)).rejects.toBeInstanceOf(ExotelTimeoutError);
    expect(server.requests).toHaveLength(3);
  });

  it('reports a refused connection as not received', async () => {
    await boot(() => ({ status: 200, body: CALL }), { retry: { maxRetries: 0 } }, 'http://127.0.0.1:1');
    const error = await client.connectCall(CONNECT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelNetworkError);
    expect(error).toMatchObject({ syscallCode: 'ECONNREFUSED', mayHaveBeenReceived: false });
  });

  it('fails locally, sending nothing, when the voice budget is exhausted and no wait is allowed', async () => {
    await boot(() => ({ status: 200, body: CALL }), {
      rateLimit: { voiceRequestsPerMinute: 1, maxWaitMs: 0 },
    });
    await client.connectCall(CONNECT);
    const error = await client.connectCall(CONNECT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExotelRateLimitError);
    expect(error).toMatchObject({ source: 'local' });
    expect(server.requests).toHaveLength(1);
  });

  it('unwraps the v2 ExoPhone details and pages through the v2_beta list', async () => {
    await boot((request) => {
      if (request.url.startsWith('/v2/')) {
        return {
          status: 200,
          body: {
            request_id: 'x',
            method: 'GET',
            http_code: 200,
            response: [
              {
                code: 200,
                status: 'success',
                error_data: null,
                data: {
                  sid: '01139585476',
                  phone_number: '+911139585476',
                  region: 'DL',
                  connectivity: {
                    incoming_call: { status: 'active' },
                    outgoing_call: { status: 'major_outage', alternate_exophone: '+912230000000' },
                  },
                },
              },
            ],
          },
        };
      }
      const page = Number(new URL(request.url, 'http://x').searchParams.get('Page'));
      return {
        status: 200,
        body: {
          page,
          page_size: 1,
          next_page_uri:
            page < 2 ? `/v2_beta/Accounts/x/IncomingPhoneNumbers?Page=${page + 1}&PageSize=1` : null,
          incoming_phone_numbers: [{ sid: `sid-${page}`, phone_number: `+9180000000${page}` }],
        },
      };
    });
    const details = await client.getExoPhone('01139585476');
    expect(details.connectivity?.outgoing_call?.status).toBe('major_outage');
    const all = await client.listAllIncomingPhoneNumbers(1);
    expect(all.map((p) => p.sid)).toEqual(['sid-0', 'sid-1', 'sid-2']);
  });

  it('never writes credentials or the account SID into its logs', async () => {
    await boot(
      (_request, index) =>
        index % 2 === 0
          ? { status: 200, body: CALL }
          : { status: 500, body: { RestException: { Status: 500, Message: 'x' } } },
      {
        retry: { maxRetries: 0 },
      },
    );
    await client.connectCall(CONNECT);
    await client.connectCall(CONNECT).catch(() => undefined);
    await client.getCall(CALL.Call.Sid).catch(() => undefined);
    const text = logs.text();
    expect(text).toContain('/v1/Accounts/{sid}/Calls/connect.json');
    for (const secret of [
      TEST_CREDENTIALS.apiKey,
      TEST_CREDENTIALS.apiToken,
      TEST_CREDENTIALS.accountSid,
      Buffer.from(`${TEST_CREDENTIALS.apiKey}:${TEST_CREDENTIALS.apiToken}`).toString('base64'),
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
