import {
  boot,
  CALL,
  client,
  CONNECT,
  logs,
  server,
  useScriptedClient,
} from '../../../../test/support/scripted-exotel-client';
import { TEST_CREDENTIALS } from '../../../../test/support/test-modules';
import { ExotelNetworkError } from '../errors/exotel-network.error';
import { ExotelRateLimitError } from '../errors/exotel-rate-limit.error';
import { ExotelTimeoutError } from '../errors/exotel-timeout.error';

describe('ExotelClient', () => {
  useScriptedClient();

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
