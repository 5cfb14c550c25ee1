import { ExotelSimulator } from 'exotel-simulator';
import { request } from 'node:http';
import { EXOTEL_CALL_FIELDS, simRequest, v1 } from '../support/simulator-http';

const CALLER_ID = '08047491899';
const CONNECT: [string, string][] = [
  ['From', '+919876543210'],
  ['To', '+919812345678'],
  ['CallerId', CALLER_ID],
];

describe('simulator REST API (e2e)', () => {
  let simulator: ExotelSimulator;

  beforeEach(async () => {
    simulator = new ExotelSimulator({ speed: 1000 });
    await simulator.start();
  });

  afterEach(async () => {
    await simulator.stop();
  });

  describe('auth and routing', () => {
    it('answers 401 RestException without or with wrong credentials', async () => {
      for (const auth of [null, 'sim-key:wrong', 'other:sim-token']) {
        const answer = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
          form: CONNECT,
          auth,
        });
        expect(answer.status).toBe(401);
        expect(answer.json).toEqual({ RestException: { Status: 401, Message: expect.any(String) } });
      }
      expect(simulator.calls()).toHaveLength(0);
    });

    it('answers 403 when the path names another account', async () => {
      const answer = await simRequest(simulator, '/v1/Accounts/someone-else/Calls/connect.json', {
        form: CONNECT,
      });
      expect(answer.status).toBe(403);
      expect(answer.json.RestException.Status).toBe(403);
    });

    it('answers as either Exotel region host (aliases), and 404 for a host it is not', async () => {
      const aliased = new ExotelSimulator({ hostAliases: ['api.exotel.com', 'api.in.exotel.com'] });
      await aliased.start();
      // fetch may not set Host; node:http can, as a hosts-file entry or proxy would.
      const status = (host: string, target = aliased) =>
        new Promise<number>((resolve, reject) => {
          const url = new URL(v1(target, 'Calls.json'), target.baseUrl);
          const auth = Buffer.from(`${target.apiKey}:${target.apiToken}`).toString('base64');
          request(url, { headers: { Host: host, Authorization: `Basic ${auth}` } }, (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          })
            .on('error', reject)
            .end();
        });
      expect(await status('api.exotel.com')).toBe(200);
      expect(await status('API.in.exotel.com:443')).toBe(200);
      expect(await status('127.0.0.1:9')).toBe(200);
      expect(await status('api.example.com')).toBe(404);
      await aliased.stop();
      // Without aliases any host is served (docker-compose reaches it as `simulator`).
      expect(await status('simulator:4010', simulator)).toBe(200);
    });

    it('answers unknown paths with 404 in the envelope of their API family', async () => {
      const v1Answer = await simRequest(simulator, v1(simulator, 'Nope.json'));
      expect(v1Answer.status).toBe(404);
      expect(v1Answer.json.RestException).toMatchObject({ Status: 404 });
      const v2Answer = await simRequest(simulator, `/v2/accounts/${simulator.accountSid}/nope`);
      expect(v2Answer.status).toBe(404);
      expect(v2Answer.json).toMatchObject({ http_code: 404, response: { status: 'failure', data: null } });
    });

    it('serves v1 paths without .json as XML', async () => {
      const answer = await simRequest(simulator, v1(simulator, 'Calls/connect'), { form: CONNECT });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toContain('application/xml');
      expect(answer.text).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<TwilioResponse><Call><Sid>[0-9a-z]{32}<\/Sid>/,
      );
      const missing = await simRequest(simulator, v1(simulator, 'Calls/unknown'));
      expect(missing.text).toContain('<RestException><Status>404</Status>');
    });
  });

  describe('POST Calls/connect', () => {
    it('creates the call and answers the 19-field Call in national number form', async () => {
      const answer = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form: CONNECT });
      expect(answer.status).toBe(200);
      const call = answer.json.Call;
      expect(Object.keys(call)).toEqual(EXOTEL_CALL_FIELDS);
      expect(call).toMatchObject({
        ParentCallSid: null,
        AccountSid: simulator.accountSid,
        To: '09812345678',
        From: '09876543210',
        PhoneNumberSid: CALLER_ID,
        Status: 'in-progress',
        EndTime: null,
        Duration: null,
        Price: null,
        Direction: 'outbound-api',
        RecordingUrl: null,
        Uri: `/v1/Accounts/${simulator.accountSid}/Calls.json/${call.Sid}`,
      });
      expect(call.Sid).toMatch(/^[0-9a-z]{32}$/);
      expect(call.DateCreated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(simulator.call(call.Sid)).toBeDefined();
    });

    it('writes dates in India time', async () => {
      const before = Date.now();
      const { json } = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form: CONNECT });
      const ist = new Date(before + 5.5 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
      expect(json.Call.DateCreated.slice(0, 16) >= ist).toBe(true);
    });

    it('accepts the three modes', async () => {
      const flow = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
        form: [
          ['From', '09876543210'],
          ['CallerId', CALLER_ID],
          ['Url', `http://my.exotel.com/${simulator.accountSid}/exoml/start_voice/12345`],
        ],
      });
      expect(flow.status).toBe(200);
      const stream = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
        form: [
          ['From', '9876543210'],
          ['CallerId', '+918047491899'],
          ['StreamUrl', 'wss://bot.example/media?sample-rate=16000'],
          ['StreamType', 'bidirectional'],
        ],
      });
      expect(stream.status).toBe(200);
      expect(simulator.calls().map((c) => c.mode)).toEqual(['connect-flow', 'connect-stream']);
    });

    it.each([
      [
        'no From',
        [
          ['To', '09812345678'],
          ['CallerId', CALLER_ID],
        ],
        /From/,
      ],
      [
        'a From that is no number',
        [
          ['From', 'abc'],
          ['To', '09812345678'],
          ['CallerId', CALLER_ID],
        ],
        /From/,
      ],
      [
        'no CallerId',
        [
          ['From', '09876543210'],
          ['To', '09812345678'],
        ],
        /CallerId/,
      ],
      [
        'a CallerId that is not an ExoPhone',
        [
          ['From', '09876543210'],
          ['To', '09812345678'],
          ['CallerId', '08000000000'],
        ],
        /CallerId is not a valid ExoPhone/,
      ],
      [
        'no mode',
        [
          ['From', '09876543210'],
          ['CallerId', CALLER_ID],
        ],
        /Exactly one of To/,
      ],
      ['two modes', [...CONNECT, ['Url', 'http://my.exotel.com/x/exoml/start_voice/1']], /Exactly one of To/],
      ['TimeLimit over 14400', [...CONNECT, ['TimeLimit', '14401']], /TimeLimit/],
      ['a CustomField over 128 characters', [...CONNECT, ['CustomField', 'x'.repeat(129)]], /CustomField/],
      [
        'a StreamUrl that is not ws(s)',
        [
          ['From', '09876543210'],
          ['CallerId', CALLER_ID],
          ['StreamUrl', 'https://bot.example'],
          ['StreamType', 'bidirectional'],
        ],
        /ws:\/\//,
      ],
      [
        'a StreamUrl of 600 characters',
        [
          ['From', '09876543210'],
          ['CallerId', CALLER_ID],
          ['StreamUrl', `wss://bot.example/${'a'.repeat(582)}`],
          ['StreamType', 'bidirectional'],
        ],
        /shorter than 600/,
      ],
      [
        'a StreamUrl without StreamType=bidirectional',
        [
          ['From', '09876543210'],
          ['CallerId', CALLER_ID],
          ['StreamUrl', 'wss://bot.example'],
        ],
        /bidirectional/,
      ],
      [
        'RecordingChannels other than single/dual',
        [...CONNECT, ['RecordingChannels', 'stereo']],
        /RecordingChannels/,
      ],
      [
        'an unknown StatusCallbackContentType',
        [...CONNECT, ['StatusCallbackContentType', 'text/xml']],
        /StatusCallbackContentType/,
      ],
      ['CallType promo', [...CONNECT, ['CallType', 'promo']], /promo/],
      [
        'an unknown StatusCallbackEvents value',
        [...CONNECT, ['StatusCallbackEvents[]', 'hungup']],
        /StatusCallbackEvents/,
      ],
    ] as [string, [string, string][], RegExp][])(
      'rejects %s with 400 and places nothing',
      async (_name, form, message) => {
        const answer = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form });
        expect(answer.status).toBe(400);
        expect(answer.json.RestException).toMatchObject({
          Status: 400,
          Message: expect.stringMatching(message),
        });
        expect(simulator.calls()).toHaveLength(0);
      },
    );

    it('accepts a StreamUrl of 599 characters and TimeLimit 14400', async () => {
      const stream = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
        form: [
          ['From', '09876543210'],
          ['CallerId', CALLER_ID],
          ['StreamUrl', `wss://bot.example/${'a'.repeat(581)}`],
          ['StreamType', 'bidirectional'],
          ['TimeLimit', '14400'],
        ],
      });
      expect(stream.status).toBe(200);
    });

    it.each([
      [
        'brackets',
        [
          ['StatusCallbackEvents[]', 'terminal'],
          ['StatusCallbackEvents[]', 'answered'],
        ],
      ],
      [
        'indexes',
        [
          ['StatusCallbackEvents[1]', 'answered'],
          ['StatusCallbackEvents[0]', 'terminal'],
        ],
      ],
      [
        'a repeated key',
        [
          ['StatusCallbackEvents', 'terminal'],
          ['StatusCallbackEvents', 'answered'],
        ],
      ],
    ] as [string, [string, string][]][])(
      'reads StatusCallbackEvents written with %s',
      async (_name, events) => {
        const answer = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
          form: [...CONNECT, ['StatusCallback', 'http://127.0.0.1:1/cb'], ...events],
        });
        expect(answer.status).toBe(200);
        expect(simulator.call(answer.json.Call.Sid)!.params.statusCallbackEvents).toEqual([
          'terminal',
          'answered',
        ]);
        expect(simulator.requests()[0].form).toMatchObject({
          StatusCallbackEvents: ['terminal', 'answered'],
        });
      },
    );

    it('accepts a multipart/form-data body', async () => {
      const form = new FormData();
      for (const [key, value] of [
        ...CONNECT,
        ['StatusCallbackEvents[0]', 'terminal'],
        ['CustomField', 'order-7'],
      ])
        form.append(key, value);
      const answer = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), { body: form });
      expect(answer.status).toBe(200);
      const call = simulator.call(answer.json.Call.Sid)!;
      expect(call.params).toMatchObject({ customField: 'order-7', statusCallbackEvents: ['terminal'] });
      expect(simulator.requests()[0].contentType).toMatch(/^multipart\/form-data; boundary=/);
    });
  });

  describe('GET Calls/<sid>', () => {
    it('answers the call, with Details when asked, and 404 for an unknown SID', async () => {
      simulator.scriptNumber('+919812345678', { outcome: 'answer', ringSeconds: 4, talkSeconds: 8 });
      const { json } = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
        form: [...CONNECT, ['Record', 'true']],
      });
      const sid = json.Call.Sid;
      await simulator.waitForCall(sid);
      const plain = await simRequest(simulator, v1(simulator, `Calls/${sid}.json`));
      expect(Object.keys(plain.json.Call)).toEqual([...EXOTEL_CALL_FIELDS, 'PreSignedRecordingUrl']);
      const detailed = await simRequest(simulator, v1(simulator, `Calls/${sid}.json?details=true`));
      expect(detailed.json.Call).toMatchObject({
        Status: 'completed',
        Duration: '15',
        Price: '0.500',
        RecordingUrl: expect.stringMatching(new RegExp(`/${sid}\\.mp3$`)),
        Details: {
          ConversationDuration: 8,
          Leg1Status: 'completed',
          Leg2Status: 'completed',
          Legs: [{ Leg: { Id: 1, OnCallDuration: 12 } }, { Leg: { Id: 2, OnCallDuration: 8 } }],
        },
      });
      expect(detailed.json.Call.EndTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      const viaUri = await simRequest(simulator, detailed.json.Call.Uri);
      expect(viaUri.json.Call.Sid).toBe(sid);
      const missing = await simRequest(
        simulator,
        v1(simulator, 'Calls/0123456789abcdef0123456789abcdef.json'),
      );
      expect(missing.status).toBe(404);
      expect(missing.json.RestException.Status).toBe(404);
    });

    it('checks RecordingUrlValidity is 5..60', async () => {
      const { json } = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form: CONNECT });
      for (const [value, status] of [
        ['4', 400],
        ['5', 200],
        ['60', 200],
        ['61', 400],
        ['x', 400],
      ] as const) {
        const answer = await simRequest(
          simulator,
          v1(simulator, `Calls/${json.Call.Sid}.json?RecordingUrlValidity=${value}`),
        );
        expect(answer.status).toBe(status);
      }
    });
  });

  describe('GET Calls (bulk)', () => {
    async function placeFinished(count: number, form: [string, string][] = CONNECT): Promise<string[]> {
      const sids: string[] = [];
      for (let i = 0; i < count; i++) {
        const { json } = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form });
        sids.push(json.Call.Sid);
      }
      await simulator.waitFor(() => sids.every((sid) => simulator.call(sid)!.endOffset !== undefined));
      return sids;
    }

    it('lists finished calls only, newest first, in pages linked by cursors', async () => {
      const sids = await placeFinished(5);
      simulator.scriptNumber('+919812345678', { outcome: 'answer', talkSeconds: 100_000 });
      await simRequest(simulator, v1(simulator, 'Calls/connect.json'), { form: CONNECT });
      const first = await simRequest(simulator, v1(simulator, 'Calls.json?PageSize=2'));
      expect(first.status).toBe(200);
      expect(first.json.Metadata).toMatchObject({
        Total: 5,
        PageSize: 2,
        FirstPageUri: v1(simulator, 'Calls.json?PageSize=2'),
        PrevPageUri: null,
      });
      const seen = first.json.Calls.map((c: { Sid: string }) => c.Sid);
      let next: string | null = first.json.Metadata.NextPageUri;
      let last = first;
      while (next) {
        last = await simRequest(simulator, next);
        seen.push(...last.json.Calls.map((c: { Sid: string }) => c.Sid));
        next = last.json.Metadata.NextPageUri;
      }
      expect(seen).toEqual([...sids].reverse());
      const back = await simRequest(simulator, last.json.Metadata.PrevPageUri);
      expect(back.json.Calls.map((c: { Sid: string }) => c.Sid)).toEqual([sids[2], sids[1]]);
      const ascending = await simRequest(simulator, v1(simulator, 'Calls.json?SortBy=DateCreated:asc'));
      expect(ascending.json.Calls.map((c: { Sid: string }) => c.Sid)).toEqual(sids);
    });

    it('filters by Sid, To, From, PhoneNumber, Status, Direction, DateCreated, Duration and Price', async () => {
      const answered = await placeFinished(2);
      simulator.scriptNumber('09812345678', { outcome: 'busy' });
      const busy = await placeFinished(1);
      simulator.scriptNumber('+919000000001', { outcome: 'failed' });
      const other = await placeFinished(1, [
        ['From', '+919000000001'],
        ['To', '+919000000002'],
        ['CallerId', '01139585476'],
      ]);
      const list = async (query: string): Promise<string[]> => {
        const answer = await simRequest(simulator, v1(simulator, `Calls.json?${query}`));
        expect(answer.status).toBe(200);
        return answer.json.Calls.map((c: { Sid: string }) => c.Sid).sort();
      };
      expect(await list(`Sid=${answered[0]},${other[0]}`)).toEqual([answered[0], other[0]].sort());
      expect(await list('To=%2B919000000002')).toEqual(other);
      expect(await list('From=09000000001,09876543210')).toHaveLength(4);
      expect(await list('PhoneNumber=01139585476')).toEqual(other);
      expect(await list('Status=busy')).toEqual(busy);
      expect(await list('Status=completed,busy')).toHaveLength(3);
      expect(await list('Direction=outbound-api')).toHaveLength(4);
      expect(await list('Direction=inbound')).toHaveLength(0);
      expect(await list('Duration=gte:30s')).toEqual([...answered].sort());
      expect(await list('Duration=gte:2s;lte:10s')).toEqual(busy);
      expect(await list('Duration=eq:1s')).toEqual(other);
      expect(await list('Price=gte:0.5')).toHaveLength(3);
      expect(await list('Price=lte:0')).toEqual(other);
      expect(
        await list(`DateCreated=${encodeURIComponent('gte:2000-01-01 00:00:00;lte:2000-01-31 00:00:00')}`),
      ).toEqual([]);
    });

    it.each([
      ['more than 100 SIDs', `Sid=${Array.from({ length: 101 }, (_, i) => `s${i}`).join(',')}`],
      ['more than 5 numbers', 'To=1,2,3,4,5,6'],
      [
        'a DateCreated range over a month',
        `DateCreated=${encodeURIComponent('gte:2026-01-01 00:00:00;lte:2026-03-01 00:00:00')}`,
      ],
      ['a malformed DateCreated', 'DateCreated=yesterday'],
      ['PageSize over 100', 'PageSize=101'],
      ['an unknown SortBy', 'SortBy=Price:asc'],
      ['a foreign cursor', 'After=abc'],
      ['a malformed Duration', 'Duration=about:5'],
    ])('rejects %s with 400', async (_name, query) => {
      const answer = await simRequest(simulator, v1(simulator, `Calls.json?${query}`));
      expect(answer.status).toBe(400);
      expect(answer.json.RestException.Status).toBe(400);
    });
  });

  describe('ExoPhones', () => {
    it('pages the v2_beta list and serves one ExoPhone', async () => {
      const first = await simRequest(
        simulator,
        `/v2_beta/Accounts/${simulator.accountSid}/IncomingPhoneNumbers?Page=0&PageSize=3`,
      );
      expect(first.status).toBe(200);
      expect(first.json).toMatchObject({
        page: 0,
        page_size: 3,
        previous_page_uri: null,
        next_page_uri: `/v2_beta/Accounts/${simulator.accountSid}/IncomingPhoneNumbers?Page=1&PageSize=3`,
      });
      expect(first.json.incoming_phone_numbers[0]).toEqual({
        sid: '01139585476',
        phone_number: '+911139585476',
        friendly_name: '01139585476',
        capabilities: { voice: true, sms: true },
        country: 'IN',
        region: 'DL',
        voice_url: expect.any(String),
        sms_url: expect.any(String),
      });
      const last = await simRequest(
        simulator,
        `/v2_beta/Accounts/${simulator.accountSid}/IncomingPhoneNumbers?Page=2&PageSize=3`,
      );
      expect(last.json.incoming_phone_numbers).toHaveLength(2);
      expect(last.json.next_page_uri).toBeNull();
      const regions = new Set(simulator.exoPhones().map((p) => p.region));
      expect([...regions].sort()).toEqual(['DL', 'KA', 'MH', 'TN']);
      const one = await simRequest(
        simulator,
        `/v2_beta/Accounts/${simulator.accountSid}/IncomingPhoneNumbers/08047491899`,
      );
      expect(one.json).toMatchObject({ sid: '08047491899', region: 'KA' });
    });

    it('answers the v2 GET with connectivity, and the v2 404 envelope', async () => {
      simulator.setHealth('01139585476', 'outgoing', 'major_outage');
      const answer = await simRequest(
        simulator,
        `/v2/accounts/${simulator.accountSid}/incoming-phone-numbers/01139585476`,
      );
      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        method: 'GET',
        http_code: 200,
      });
      const [block] = answer.json.response;
      expect(block).toMatchObject({ code: 200, error_data: null, status: 'success' });
      expect(block.data).toMatchObject({
        sid: '01139585476',
        phone_number: '+911139585476',
        account_sid: simulator.accountSid,
        region: 'DL',
        number_type: 'Landline',
        connectivity: {
          incoming_call: {
            status: 'active',
            alternate_exophone: null,
            last_check_time: expect.stringMatching(/Z$/),
          },
          outgoing_call: { status: 'major_outage', alternate_exophone: ['+918047491899'] },
        },
      });
      const missing = await simRequest(
        simulator,
        `/v2/accounts/${simulator.accountSid}/incoming-phone-numbers/nope`,
      );
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({
        request_id: expect.any(String),
        method: 'GET',
        http_code: 404,
        response: {
          code: 404,
          error_data: {
            code: 1000,
            message: 'The requested resource was not found',
            description: 'The requested resource was not found',
          },
          status: 'failure',
          data: null,
        },
      });
    });

    it('seeds a configurable number of ExoPhones across circles', async () => {
      const big = new ExotelSimulator({ exoPhones: 50 });
      expect(big.exoPhones()).toHaveLength(50);
      expect(new Set(big.exoPhones().map((p) => p.sid)).size).toBe(50);
      expect(new Set(big.exoPhones().map((p) => p.region))).toEqual(
        new Set(['DL', 'MH', 'KA', 'TN', 'GJ', 'WB', 'TS']),
      );
      await big.stop();
    });
  });
});
