import { ExotelSimulator, type ExotelSimulatorOptions, type NumberScript } from 'exotel-simulator';
import { ScriptedServer, type Script } from '../support/scripted-server';
import { parseMultipart, simRequest, v1 } from '../support/simulator-http';

const FROM = '+919876543210';
const TO = '+919812345678';
const CALLER_ID = '08047491899';

describe('simulator call lifecycle and status callbacks (e2e)', () => {
  let simulator: ExotelSimulator;
  let receiver: ScriptedServer;

  async function boot(
    script: Script = () => ({ status: 200 }),
    options: ExotelSimulatorOptions = {},
  ): Promise<void> {
    receiver = await new ScriptedServer(script).start();
    simulator = new ExotelSimulator({ speed: 1000, delivery: { retryDelayMs: 5 }, ...options });
    await simulator.start();
  }

  afterEach(async () => {
    await simulator.stop();
    await receiver.stop();
  });

  async function connect(
    extra: [string, string][] = [],
    base: [string, string][] = [['To', TO]],
  ): Promise<string> {
    const answer = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
      form: [
        ['From', FROM],
        ['CallerId', CALLER_ID],
        ...base,
        ['StatusCallback', `${receiver.url}/status?key=s3cret`],
        ...extra,
      ],
    });
    expect(answer.status).toBe(200);
    return answer.json.Call.Sid;
  }

  it('sends answered, answered, terminal as multipart with Legs[i][Field], exactly to the given URL', async () => {
    await boot();
    simulator.scriptNumber(FROM, { ringSeconds: 2 });
    simulator.scriptNumber(TO, { ringSeconds: 5, talkSeconds: 40 });
    const sid = await connect([
      ['StatusCallbackEvents[0]', 'terminal'],
      ['StatusCallbackEvents[1]', 'answered'],
      ['CustomField', 'order-42'],
      ['Record', 'true'],
    ]);
    await simulator.waitFor(() => simulator.callbacks().filter((d) => d.done).length === 3);
    expect(simulator.callbacks().map((d) => d.eventType)).toEqual(['answered', 'answered', 'terminal']);
    expect(receiver.requests.map((r) => r.url)).toEqual(Array(3).fill('/status?key=s3cret'));
    const forms = await Promise.all(
      receiver.requests.map(async (r) =>
        Object.fromEntries(await parseMultipart(r.body, r.headers['content-type']!)),
      ),
    );
    expect(forms[0]).toMatchObject({
      CallSid: sid,
      EventType: 'answered',
      Status: 'in-progress',
      From: '09876543210',
      To: '09812345678',
      PhoneNumberSid: CALLER_ID,
      Direction: 'outbound-api',
      'Legs[0][Status]': 'in-progress',
      'Legs[1][Status]': '',
    });
    expect(forms[0]).not.toHaveProperty('CustomField');
    expect(forms[1]).toMatchObject({ 'Legs[0][Status]': 'in-progress', 'Legs[1][Status]': 'in-progress' });
    expect(forms[2]).toMatchObject({
      EventType: 'terminal',
      Status: 'completed',
      ConversationDuration: '40',
      CustomField: 'order-42',
      RecordingUrl: expect.stringMatching(new RegExp(`/${sid}\\.mp3$`)),
      'Legs[0][Status]': 'completed',
      'Legs[0][OnCallDuration]': '45',
      'Legs[1][Status]': 'completed',
      'Legs[1][OnCallDuration]': '40',
    });
    expect(forms[2].DateUpdated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(simulator.call(sid)).toMatchObject({ status: 'completed', conversationDuration: 40 });
  });

  it('sends JSON with a Legs array when StatusCallbackContentType=application/json', async () => {
    await boot();
    await connect([
      ['StatusCallbackEvents[]', 'answered'],
      ['StatusCallbackEvents[]', 'terminal'],
      ['StatusCallbackContentType', 'application/json'],
      ['CustomField', 'c-1'],
    ]);
    await simulator.waitFor(
      () => receiver.requests.length === 3 && simulator.callbacks().every((d) => d.done),
    );
    expect(receiver.requests.every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
    const bodies = receiver.requests.map((r) => JSON.parse(r.body));
    expect(bodies[0].Legs).toEqual([
      { OnCallDuration: 0, Status: 'in-progress', AnsweredBy: 'Human' },
      { OnCallDuration: 0, Status: '', AnsweredBy: 'NA' },
    ]);
    expect(bodies[0]).not.toHaveProperty('CustomField');
    expect(bodies[2]).toMatchObject({
      EventType: 'terminal',
      Status: 'completed',
      ConversationDuration: 30,
      CustomField: 'c-1',
      RecordingUrl: null,
      EndTime: expect.any(String),
      Legs: [
        { OnCallDuration: 33, Status: 'completed' },
        { OnCallDuration: 30, Status: 'completed' },
      ],
    });
  });

  it('sends only the four base fields, once, when StatusCallbackEvents is absent', async () => {
    await boot();
    const sid = await connect([['StatusCallbackContentType', 'application/json']]);
    await simulator.waitForCallback();
    await simulator.waitForCall(sid);
    expect(simulator.callbacks()).toHaveLength(1);
    expect(Object.keys(JSON.parse(receiver.requests[0].body)).sort()).toEqual([
      'CallSid',
      'DateUpdated',
      'RecordingUrl',
      'Status',
    ]);
    const multipart = await connect();
    await simulator.waitForCallback((d) => d.callSid === multipart);
    const fields = await parseMultipart(
      receiver.requests[1].body,
      receiver.requests[1].headers['content-type']!,
    );
    expect(fields.map(([name]) => name).sort()).toEqual(['CallSid', 'DateUpdated', 'RecordingUrl', 'Status']);
    expect(Object.fromEntries(fields).RecordingUrl).toBe('null');
  });

  it.each([
    ['To is busy', {}, { outcome: 'busy' }, [], 'busy', ['completed', 'busy']],
    [
      'To does not answer within TimeOut',
      {},
      { outcome: 'no-answer' },
      [['TimeOut', '20']],
      'no-answer',
      ['completed', 'no-answer'],
    ],
    [
      'To rings past TimeOut',
      {},
      { ringSeconds: 50 },
      [['TimeOut', '20']],
      'no-answer',
      ['completed', 'no-answer'],
    ],
    ['To fails', {}, { outcome: 'failed' }, [], 'failed', ['completed', 'failed']],
    ['From is busy', { outcome: 'busy' }, {}, [], 'busy', ['busy', null]],
    ['From does not answer', { outcome: 'no-answer' }, {}, [], 'no-answer', ['no-answer', null]],
    ['From fails', { outcome: 'failed' }, {}, [], 'failed', ['failed', null]],
    [
      'the caller hangs up while To rings',
      { outcome: 'hangup', hangupAfterSeconds: 2 },
      { ringSeconds: 10 },
      [],
      'no-answer',
      ['completed', 'canceled'],
    ],
  ] as [string, NumberScript, NumberScript, [string, string][], string, (string | null)[]][])(
    'ends the call when %s',
    async (_name, fromScript, toScript, extra, status, legs) => {
      await boot();
      simulator.scriptNumber(FROM, fromScript);
      simulator.scriptNumber(TO, toScript);
      const sid = await connect([
        ['StatusCallbackEvents[]', 'terminal'],
        ['StatusCallbackContentType', 'application/json'],
        ...extra,
      ]);
      const terminal = await simulator.waitForCallback(
        (d) => d.callSid === sid && d.eventType === 'terminal',
      );
      expect(terminal.payload).toMatchObject({ Status: status, ConversationDuration: 0 });
      expect((terminal.payload.Legs as { Status: string | null }[]).map((l) => l.Status)).toEqual(legs);
      expect(simulator.call(sid)!.status).toBe(status);
    },
  );

  it('uses one-off scripts for the next calls only', async () => {
    await boot();
    simulator.scriptNumber(TO, { outcome: 'busy', times: 1 });
    const first = await connect();
    const second = await connect();
    await simulator.waitForCall(first);
    await simulator.waitForCall(second);
    expect([simulator.call(first)!.status, simulator.call(second)!.status]).toEqual(['busy', 'completed']);
  });

  it('cuts the conversation at TimeLimit, and a hang-up ends a call early', async () => {
    await boot();
    simulator.scriptNumber(TO, { talkSeconds: 100_000 });
    const limited = await connect([['TimeLimit', '10']]);
    expect((await simulator.waitForCall(limited)).conversationDuration).toBe(10);
    const talking = await connect([], [['To', TO]]);
    await simulator.waitForCall(talking, (call) => call.legs[1].status === 'in-progress');
    expect(simulator.hangUp(talking)).toBe(true);
    const ended = await simulator.waitForCall(talking);
    expect(ended.status).toBe('completed');
    expect(ended.conversationDuration).toBeLessThan(14_400);
    expect(simulator.hangUp(talking)).toBe(false);
  });

  it('runs flow and stream calls with one leg', async () => {
    await boot();
    const sid = await connect(
      [
        ['StatusCallbackEvents[]', 'terminal'],
        ['StatusCallbackContentType', 'application/json'],
      ],
      [
        ['StreamUrl', 'wss://bot.example/ws'],
        ['StreamType', 'bidirectional'],
      ],
    );
    const terminal = await simulator.waitForCallback((d) => d.callSid === sid);
    expect(terminal.payload).toMatchObject({
      Status: 'completed',
      To: CALLER_ID,
      Legs: [{ Status: 'completed', OnCallDuration: 30 }],
    });
  });

  it('retries a non-2xx callback up to twice and records every attempt', async () => {
    await boot((_request, index) => ({ status: index < 2 ? 500 : 200 }));
    await connect();
    const delivery = await simulator.waitForCallback();
    expect(delivery.ok).toBe(true);
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(receiver.requests.map((r) => r.body)).toEqual(Array(3).fill(delivery.body));
  });

  it('gives up after three attempts, and times out a receiver that does not answer', async () => {
    await boot(() => ({ status: 503 }));
    await connect();
    const failed = await simulator.waitForCallback();
    expect(failed).toMatchObject({ ok: false, done: true });
    expect(failed.attempts).toHaveLength(3);
    await simulator.stop();
    await receiver.stop();

    await boot(() => 'hang', { delivery: { timeoutMs: 100, retries: 1, retryDelayMs: 5 } });
    await connect();
    const timedOut = await simulator.waitForCallback();
    expect(timedOut.attempts.map((a) => a.error)).toEqual([
      'timed out after 100 ms',
      'timed out after 100 ms',
    ]);
    expect(receiver.requests).toHaveLength(2);
  });

  it('fails calls whose caller id has an outgoing outage', async () => {
    await boot(undefined, { calls: { partialOutageFailureRate: 1 } });
    simulator.setHealth(CALLER_ID, 'outgoing', 'major_outage');
    const major = await connect();
    expect((await simulator.waitForCall(major)).status).toBe('failed');
    simulator.setHealth(CALLER_ID, 'both', 'partial_network_outage');
    const partial = await connect();
    expect((await simulator.waitForCall(partial)).failureReason).toMatch(/partial_network_outage/);
    simulator.setHealth(CALLER_ID, 'outgoing', 'active');
    simulator.setHealth(CALLER_ID, 'incoming', 'major_outage');
    const fine = await connect();
    expect((await simulator.waitForCall(fine)).status).toBe('completed');
  });

  it('applies the DND rule: a failed call, or a 400', async () => {
    await boot(undefined, { calls: { dnd: { numbers: [TO] } } });
    const sid = await connect();
    expect((await simulator.waitForCall(sid)).failureReason).toMatch(/DND/);
    await simulator.stop();
    await receiver.stop();
    await boot(undefined, { calls: { dnd: { numbers: ['09812345678'], behaviour: 'reject' } } });
    const answer = await simRequest(simulator, v1(simulator, 'Calls/connect.json'), {
      form: [
        ['From', FROM],
        ['To', TO],
        ['CallerId', CALLER_ID],
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.json.RestException.Message).toMatch(/DND/);
  });

  it('publishes Duration, Price and EndTime only after the details delay', async () => {
    await boot(undefined, { calls: { detailsDelaySeconds: 1000 } });
    const sid = await connect();
    const ended = await simulator.waitForCall(sid);
    expect(ended.detailsPublished).toBe(false);
    const early = await simRequest(simulator, v1(simulator, `Calls/${sid}.json`));
    expect(early.json.Call).toMatchObject({
      Status: 'completed',
      Duration: null,
      Price: null,
      EndTime: null,
    });
    await simulator.waitForCall(sid, (call) => call.detailsPublished);
    const late = await simRequest(simulator, v1(simulator, `Calls/${sid}.json`));
    expect(late.json.Call).toMatchObject({ Duration: '36', Price: '0.500' });
  });

  it('makes the same SIDs from the same seed', async () => {
    await boot(undefined, { seed: 'repeatable' });
    const first = await connect();
    simulator.reset();
    const again = await connect();
    expect(again).toBe(first);
    simulator.reset('other');
    expect(await connect()).not.toBe(first);
  });
});
