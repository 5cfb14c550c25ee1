import { ExotelDatabase } from 'nestjs-exotel/internal';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';

// Values SQLite stores and PostgreSQL refuses: each must be a 400 with a stable code at the edge,
// the same 400 for Exotel's retries, with nothing stored and nothing asked of Exotel. Run on both
// databases (TEST_DATABASE=postgres).
describe('webhook input at the edge (e2e)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service.close();
  });

  const key = `key=${TEST_WEBHOOK_SECRET}`;
  const post = (body: string, contentType: string) =>
    fetch(`${service.url}/exotel/callback/status?${key}`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
    });
  const answer = (query: Record<string, string>) =>
    fetch(`${service.url}/exotel/answer?${new URLSearchParams({ key: TEST_WEBHOOK_SECRET, ...query })}`, {
      redirect: 'manual',
    });
  const TABLES = ['exotel_calls', 'exotel_call_callbacks', 'exotel_voice_calls', 'exotel_outbox_events'];
  /** Rows of each table a webhook writes to. */
  const stored = () =>
    service.app.get(ExotelDatabase).read(async (m) => {
      const counts: Record<string, number> = {};
      for (const table of TABLES) {
        const [row] = await m.query<{ n: string | number }[]>(`SELECT COUNT(*) AS n FROM ${table}`);
        counts[table] = Number(row.n);
      }
      return counts;
    });
  /** Requests about calls made of Exotel (the inventory sync at start-up is not one). */
  const exotelRequests = () =>
    service.simulator
      .requests()
      .filter((r) => r.endpoint === 'call-details' || r.endpoint === 'bulk-calls' || r.endpoint === 'connect')
      .length;
  const codeOf = async (response: Response) => ({
    status: response.status,
    code: ((await response.json()) as { code: string }).code,
  });

  const terminal = {
    CallSid: 'b6cfaf5fd4fb4a4d5d2a0c9ef8bf15c1',
    Status: 'completed',
    EventType: 'terminal',
  };
  const badCallbacks: [string, Record<string, unknown>][] = [
    ['a CallSid of true', { ...terminal, CallSid: true }],
    ['a CallSid of -1', { ...terminal, CallSid: -1 }],
    ['a CallSid "-1"', { ...terminal, CallSid: '-1' }],
    ['a NUL in CustomField', { ...terminal, CustomField: 'order\u0000' }],
    ['a NUL in a leg (jsonb)', { ...terminal, Legs: [{ Status: 'completed', AnsweredBy: 'hu\u0000man' }] }],
    ['a lone surrogate in RecordingUrl', { ...terminal, RecordingUrl: 'https://r.example.com/\uD800.mp3' }],
    ['a lone surrogate in a field name', { ...terminal, ['Extra\uDC00']: 'x' }],
    ['ConversationDuration 2^31', { ...terminal, ConversationDuration: 2 ** 31 }],
    ['ConversationDuration 1e308', { ...terminal, ConversationDuration: '1e308' }],
    [
      'a leg OnCallDuration of 2^31',
      { ...terminal, Legs: [{ Status: 'completed', OnCallDuration: 2 ** 31 }] },
    ],
    ['EndTime February 30', { ...terminal, EndTime: '2026-02-30 10:00:00' }],
    ['From longer than its column', { ...terminal, From: '9'.repeat(33) }],
  ];

  it.each(badCallbacks)(
    'refuses a JSON status callback with %s: 400 each time, nothing stored or asked',
    async (_name, body) => {
      const before = { stored: await stored(), requests: exotelRequests() };
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(await codeOf(await post(JSON.stringify(body), 'application/json'))).toEqual({
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      expect({ stored: await stored(), requests: exotelRequests() }).toEqual(before);
    },
  );

  it('refuses NUL and 2^31 in urlencoded and multipart callbacks too', async () => {
    const before = await stored();
    const form = new URLSearchParams({ ...terminal, To: '0804\u00007491899' }).toString();
    expect(await codeOf(await post(form, 'application/x-www-form-urlencoded'))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const multipart = new FormData();
    for (const [name, value] of Object.entries({
      ...terminal,
      'Legs[0][Status]': 'completed',
      'Legs[0][OnCallDuration]': '2147483648',
    }))
      multipart.append(name, value);
    const response = await fetch(`${service.url}/exotel/callback/status?${key}`, {
      method: 'POST',
      body: multipart,
    });
    expect(await codeOf(response)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await stored()).toEqual(before);
  });

  it('still applies a good callback for a CallSid it never placed', async () => {
    const response = await post(
      JSON.stringify({ ...terminal, ConversationDuration: 2 ** 31 - 1 }),
      'application/json',
    );
    expect(response.status).toBe(200);
  });

  it('refuses a Passthru request it cannot store (a stream URL over its column, NUL, a wrong CallSid) with PASSTHRU_INVALID', async () => {
    const before = await stored();
    const queries: Record<string, string>[] = [
      { CallSid: 'passthru-edge-1', 'Stream[StreamUrl]': `wss://bot.example.com/${'p'.repeat(600)}` },
      { CallSid: 'passthru-edge-1', CustomField: 'a\u0000b' },
      { CallSid: 'passthru-edge-1', 'Stream[Duration]': '2147483648' },
      { CallSid: '-1' },
      { CallSid: 'Calls/true' },
    ];
    for (const query of queries) {
      expect([query, await codeOf(await answer(query))]).toEqual([
        query,
        { status: 400, code: 'PASSTHRU_INVALID' },
      ]);
    }
    expect(await stored()).toEqual(before);
  });

  it("refuses a dial-up request with a CallSid not of Exotel's shape, and answers a good one", async () => {
    const dialUp = (sid: string) => fetch(`${service.url}/exotel/dial-up?${key}&CallSid=${sid}`);
    expect(await codeOf(await dialUp('%00'))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await codeOf(await dialUp('a%20b'))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const good = await dialUp('b6cfaf5fd4fb4a4d5d2a0c9ef8bf15c2');
    expect(good.status).toBe(200);
    expect(((await good.json()) as { destination: { numbers: string[] } }).destination.numbers).toEqual([]);
  });

  it('refuses a NUL in a management API route parameter or query with 400, not a database error', async () => {
    for (const path of [
      '/calls/a%00b',
      '/tickets/%00',
      '/incidents/%00/resolve',
      '/exophones/a%00',
      '/calls?callSid=%00',
    ]) {
      const method = path.endsWith('/resolve') ? 'POST' : 'GET';
      const response = await fetch(`${service.url}${path}`, { method, headers: service.auth });
      expect([path, await codeOf(response)]).toEqual([path, { status: 400, code: 'VALIDATION_FAILED' }]);
    }
  });
});
