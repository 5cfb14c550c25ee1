import { CallDetails, CallEntity, CallReconciler, CallRecords, ExotelDatabase } from 'nestjs-exotel/internal';
import { TEST_WEBHOOK_SECRET } from '../support/test-service';
import { AGENT, CUSTOMER, startCallsHarness, until, type CallsHarness } from './calls-harness';

function multipart(fields: Record<string, string>): { body: string; contentType: string } {
  const boundary = '----CallsSpec0123456789';
  let body = '';
  for (const [name, value] of Object.entries(fields)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  return { body: `${body}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

// Status callbacks at POST /exotel/callback/status, from the simulator and hand-made.
describe('status callbacks (e2e)', () => {
  let h: CallsHarness;
  afterEach(async () => {
    await h?.close();
  });
  const send = (body: string, contentType: string, key = TEST_WEBHOOK_SECRET) =>
    fetch(`${h.service.url}/exotel/callback/status?key=${key}`, {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
    });

  it("applies the simulator's multipart callbacks (flattened legs): completed with leg details and the recording", async () => {
    h = await startCallsHarness({ callbacks: true, simulator: { speed: 100 } });
    h.simulator.scriptNumber(AGENT, { ringSeconds: 2, talkSeconds: 20 });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT, record: true });
    const terminal = await h.simulator.waitForCallback((d) => d.eventType === 'terminal');
    expect(terminal.contentType).toMatch(/^multipart\/form-data/);
    const call = await until(async () => {
      const current = await h.get(body.id);
      return current.status === 'completed' && current.durationSeconds !== null ? current : undefined;
    });
    const placed = h.simulator.call(body.callSid!)!;
    expect(call).toMatchObject({
      status: 'completed',
      conversationSeconds: 20,
      recordingUrl: placed.recordingUrl,
      legs: [
        { status: 'completed', onCallDurationSeconds: placed.legs[0].onCallDuration, answeredBy: 'Human' },
        { status: 'completed', onCallDurationSeconds: 20, answeredBy: 'Human' },
      ],
    });
    expect(call.recordingUrl).toMatch(/^https?:\/\//);
    // One answered per leg, one completed; the terminal event carries the legs.
    expect(await h.events('call.answered', body.id)).toHaveLength(2);
    const [completed] = await h.events('call.completed', body.id);
    expect(completed.data).toMatchObject({ status: 'completed', conversationDurationSeconds: 20 });
    expect((completed.data as { legs: unknown[] }).legs).toHaveLength(2);
    // The recording and duration were read from call details after the terminal callback.
    expect(h.simulator.requests().some((r) => r.endpoint === 'call-details')).toBe(true);
  });

  it('takes the same terminal callback three times as one call.completed', async () => {
    // The simulated call keeps ringing: only the hand-made callbacks below say anything about it.
    h = await startCallsHarness({ simulator: { speed: 1 } });
    h.simulator.scriptNumber(CUSTOMER, { outcome: 'no-answer' });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    const fields = {
      CallSid: body.callSid!,
      EventType: 'terminal',
      Status: 'busy',
      CustomField: body.correlationId,
      ConversationDuration: '0',
      Direction: 'outbound-api',
      'Legs[0][Status]': 'completed',
      'Legs[0][OnCallDuration]': '12',
      'Legs[0][AnsweredBy]': 'Human',
      'Legs[1][Status]': 'busy',
      'Legs[1][OnCallDuration]': '0',
      'Legs[1][AnsweredBy]': 'NA',
    };
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const { body: form, contentType } = multipart(fields);
      const response = await send(form, contentType);
      answers.push({ status: response.status, ...((await response.json()) as { duplicate: boolean }) });
    }
    expect(answers.map((a) => [a.status, a.duplicate])).toEqual([
      [200, false],
      [200, true],
      [200, true],
    ]);
    expect(await h.events('call.completed', body.id)).toHaveLength(1);
    expect(await h.get(body.id)).toMatchObject({
      status: 'busy',
      legs: [
        { status: 'completed', onCallDurationSeconds: 12, answeredBy: 'Human' },
        { status: 'busy', onCallDurationSeconds: 0, answeredBy: 'NA' },
      ],
    });
  });

  it('tolerates terminal before answered, and reads JSON and urlencoded bodies', async () => {
    h = await startCallsHarness({ simulator: { speed: 1 } });
    h.simulator.scriptNumber(CUSTOMER, { outcome: 'no-answer' });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    const terminal = await send(
      JSON.stringify({
        CallSid: body.callSid,
        EventType: 'terminal',
        Status: 'completed',
        ConversationDuration: 31,
        EndTime: '2026-01-15 14:30:45',
        Legs: [
          { OnCallDuration: 40, Status: 'completed', AnsweredBy: 'Human' },
          { OnCallDuration: 31, Status: 'completed', AnsweredBy: 'HUMAN' },
        ],
      }),
      'application/json',
    );
    expect(terminal.status).toBe(200);
    const late = new URLSearchParams({
      CallSid: body.callSid!,
      EventType: 'answered',
      Status: 'in-progress',
      'Legs[0][Status]': 'in-progress',
      'Legs[1][Status]': '',
    });
    expect((await send(late.toString(), 'application/x-www-form-urlencoded')).status).toBe(200);
    const call = await h.get(body.id);
    expect(call).toMatchObject({
      status: 'completed',
      conversationSeconds: 31,
      endedAt: '2026-01-15T09:00:45.000Z',
    });
    expect(call.legs[1]).toMatchObject({ onCallDurationSeconds: 31 });
    expect(await h.events('call.completed', body.id)).toHaveLength(1);
    // The late answered is recorded but publishes nothing after the end.
    expect(await h.events('call.answered', body.id)).toHaveLength(0);
  });

  it('creates an inbound record for a CallSid it never placed, which CallRecords can extend', async () => {
    h = await startCallsHarness();
    const inbound = new URLSearchParams({
      CallSid: 'inbound0000000000000000000000001',
      EventType: 'terminal',
      Status: 'completed',
      Direction: 'inbound',
      From: '09876543210',
      To: '08047491899',
    });
    const response = await send(inbound.toString(), 'application/x-www-form-urlencoded');
    expect(response.status).toBe(200);
    const records = h.service.app.get(CallRecords);
    const record = await records.findByCallSid('inbound0000000000000000000000001');
    expect(record).toMatchObject({
      origin: 'callback',
      direction: 'inbound',
      from: CUSTOMER,
      to: '+918047491899',
      status: 'completed',
    });
    await h.service.app
      .get(CallRecords)
      .ensure({ callSid: 'inbound0000000000000000000000001' })
      .then((again) => expect(again.id).toBe(record!.id));
    const db = h.service.app.get(ExotelDatabase);
    await db.transaction((m) =>
      records.attach(m, { callSid: 'inbound0000000000000000000000001' }, 'voice', { streamSid: 'MZ1' }),
    );
    expect((await h.get(record!.id)).extensions).toEqual({ voice: { streamSid: 'MZ1' } });
    // Exotel's call details do not know it (404): the job stops asking instead of retrying for hours.
    const pending = () =>
      db.read((m) => m.findOneByOrFail(CallEntity, { callSid: 'inbound0000000000000000000000001' }));
    await h.service.app.get(CallDetails).whenIdle();
    await h.service.app.get(CallReconciler).run();
    expect((await pending()).detailsPending).toBe(false);
  });

  it('folds a record a Passthru created before Calls/connect answered into the API call, one record per CallSid', async () => {
    h = await startCallsHarness();
    const records = h.service.app.get(CallRecords);
    const db = h.service.app.get(ExotelDatabase);
    // An API call still waiting for its Calls/connect answer (no CallSid yet)...
    const api = await records.ensure({ callSid: 'placeholder00000000000000000001' });
    await db.transaction((m) => m.update(CallEntity, { id: api.id }, { origin: 'api', callSid: null }));
    // ...while the flow's Passthru (or stream) already reported the CallSid Exotel gave it.
    const sid = 'sighted000000000000000000000001';
    await db.transaction((m) => records.attach(m, { callSid: sid }, 'voice', { streamSid: 'MZ9' }));
    const adopted = await db.transaction(async (m) => {
      const call = await m.findOneByOrFail(CallEntity, { id: api.id });
      const ok = await records.adoptSighting(m, call, sid);
      // As settle() does: the CallSid and the folded-in extensions written with the call.
      call.callSid = sid;
      await m.save(call);
      return ok;
    });
    expect(adopted).toBe(true);
    expect(await records.findByCallSid(sid)).toMatchObject({
      id: api.id,
      origin: 'api',
      extensions: { voice: { streamSid: 'MZ9' } },
    });
    expect(await db.read((m) => m.countBy(CallEntity, { callSid: sid }))).toBe(1);
  });

  it('takes callbacks at the path in other casing or with a trailing slash, as Express routes them', async () => {
    h = await startCallsHarness({ simulator: { speed: 1 } });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    const answered = new URLSearchParams({
      CallSid: body.callSid!,
      EventType: 'answered',
      Status: 'in-progress',
    });
    const terminal = { CallSid: body.callSid, EventType: 'terminal', Status: 'completed' };
    const post = (path: string, payload: string, contentType: string) =>
      fetch(`${h.service.url}${path}?key=${TEST_WEBHOOK_SECRET}`, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body: payload,
        // A request the service leaves hanging fails here instead of at the suite's timeout.
        signal: AbortSignal.timeout(10_000),
      });
    const urlencoded = await post(
      '/exotel/callback/status/',
      answered.toString(),
      'application/x-www-form-urlencoded',
    );
    expect(urlencoded.status).toBe(200);
    const json = await post('/Exotel/Callback/Status', JSON.stringify(terminal), 'application/json');
    expect(json.status).toBe(200);
    expect(await h.get(body.id)).toMatchObject({ status: 'completed' });
    expect(await h.events('call.answered', body.id)).toHaveLength(1);
    expect(await h.events('call.completed', body.id)).toHaveLength(1);
  });

  it('refuses a callback without the secret (401) or without a CallSid (400), changing nothing', async () => {
    h = await startCallsHarness();
    const wrong = await send(
      JSON.stringify({ CallSid: 'x', Status: 'completed' }),
      'application/json',
      'nope',
    );
    expect(wrong.status).toBe(401);
    const missing = await send(JSON.stringify({ Status: 'completed' }), 'application/json');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
    const bad = await send('{not json', 'application/json');
    expect(bad.status).toBe(400);
    const long = await send(
      JSON.stringify({
        CallSid: 'x',
        EventType: 'answered',
        Status: 's'.repeat(21),
        Direction: 'd'.repeat(21),
      }),
      'application/json',
    );
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('Status must be at most 20 characters'),
    });
    expect(await h.service.app.get(CallRecords).list()).toHaveLength(0);
  });
});
