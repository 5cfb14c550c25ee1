import {
  boot,
  CALL,
  client,
  CONNECT,
  server,
  useScriptedClient,
} from '../../../../test/support/scripted-exotel-client';
import { TEST_CREDENTIALS } from '../../../../test/support/test-modules';
import { ExotelApiError } from '../errors/exotel-api.error';
import { ExotelAuthError } from '../errors/exotel-auth.error';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';

describe('ExotelClient', () => {
  useScriptedClient();

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
});
