import { CallEntity, ExotelDatabase } from 'nestjs-exotel/internal';
import { Faults } from 'exotel-simulator';
import { AGENT, CUSTOMER, startCallsHarness, type CallsHarness } from './calls-harness';

// POST /calls with an Idempotency-Key: a client that retries (after its own timeout, say) never
// places a second call.
describe('CallsService idempotency keys (e2e)', () => {
  let h: CallsHarness;
  afterEach(async () => {
    await h?.close();
  });

  const recordedCalls = async () => {
    const response = await fetch(`${h.service.url}/calls`, { headers: h.service.auth });
    return ((await response.json()) as { items: { id: string }[] }).items;
  };

  it('answers a repeated key with the first call (200, Idempotent-Replayed), one POST to Exotel', async () => {
    h = await startCallsHarness();
    const key = { 'Idempotency-Key': 'order-42-reminder' };
    const first = await h.post({ from: CUSTOMER, to: AGENT, customField: 'order-42' }, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ outcome: 'initiated', idempotencyKey: 'order-42-reminder' });
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    // The same call in another spelling of the same number is the same request.
    const again = await h.post({ from: '9876543210', to: AGENT, customField: 'order-42' }, key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toMatchObject({
      id: first.body.id,
      callSid: first.body.callSid,
      outcome: 'initiated',
    });

    expect(h.connects()).toHaveLength(1);
    expect(h.simulator.calls()).toHaveLength(1);
    expect(await recordedCalls()).toHaveLength(1);
    expect(await h.events('call.requested')).toHaveLength(1);

    // Without a key, the same request is a new call.
    const unkeyed = await h.post({ from: CUSTOMER, to: AGENT, customField: 'order-42' });
    expect(unkeyed.status).toBe(201);
    expect(unkeyed.body.id).not.toBe(first.body.id);
    expect(h.connects()).toHaveLength(2);
  });

  it('retrying after an unknown outcome returns that call instead of dialling again', async () => {
    h = await startCallsHarness({ exotel: { timeouts: { connectMs: 200, requestMs: 400 } } });
    h.simulator.injectFaults({ fault: Faults.hangAfterPlacing() });
    const key = { 'Idempotency-Key': '9f0c2d7e-6a51-4c1b-9d8e-2b7f3a1c5e90' };
    const first = await h.post({ from: CUSTOMER, to: AGENT }, key);
    expect(first.body).toMatchObject({ outcome: 'unknown' });
    expect(h.connects()).toHaveLength(1);

    const retry = await h.post({ from: CUSTOMER, to: AGENT }, key);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, outcome: 'unknown' });
    expect(h.connects()).toHaveLength(1);
    expect(h.simulator.calls()).toHaveLength(1);
  });

  it('sends one Calls/connect for concurrent requests with one key; each gets the call and its outcome', async () => {
    h = await startCallsHarness({ simulator: { speed: 1 } });
    h.simulator.injectFaults({ fault: Faults.slow(300) });
    const key = { 'Idempotency-Key': 'burst-1' };
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => h.post({ from: CUSTOMER, to: AGENT }, key)),
    );
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    for (const answer of answers) expect(answer.body.outcome).toBe('initiated');
    expect(h.connects()).toHaveLength(1);
    expect(await recordedCalls()).toHaveLength(1);
  });

  it('answers 409 CALL_IN_PROGRESS while another instance still sends the call of a key', async () => {
    h = await startCallsHarness();
    const first = await h.post({ from: CUSTOMER, to: AGENT }, { 'Idempotency-Key': 'k-here' });
    expect(first.status).toBe(201);
    // What another instance leaves in the table while its Calls/connect is in flight.
    const db = h.service.app.get(ExotelDatabase);
    await db.transaction(async (m) => {
      const done = await m.findOneByOrFail(CallEntity, { idempotencyKey: 'k-here' });
      const inFlight = Object.assign(new CallEntity(), done, {
        id: '01JBOTHERINSTANCE000000000',
        correlationId: 'OTHERINSTANCE000',
        callSid: null,
        idempotencyKey: 'k-elsewhere',
        outcome: 'unknown',
        status: 'requested',
        settledAt: null,
      });
      await m.save(inFlight);
    });
    const busy = await h.post({ from: CUSTOMER, to: AGENT }, { 'Idempotency-Key': 'k-elsewhere' });
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.body).toMatchObject({ code: 'CALL_IN_PROGRESS' });
    // Without waiting, the call as it stands.
    const now = await h.post(
      { from: CUSTOMER, to: AGENT, wait: false },
      { 'Idempotency-Key': 'k-elsewhere' },
    );
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ id: '01JBOTHERINSTANCE000000000', status: 'requested' });
    expect(h.connects()).toHaveLength(1);
  });

  it('refuses a key reused for a different call (422) and a malformed key (400), sending nothing', async () => {
    h = await startCallsHarness();
    const first = await h.post({ from: CUSTOMER, to: AGENT }, { 'Idempotency-Key': 'k-1' });
    expect(first.status).toBe(201);

    const reused = await h.post({ from: CUSTOMER, to: AGENT, timeLimit: 60 }, { 'Idempotency-Key': 'k-1' });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(reused.body.message).toContain(first.body.id);

    for (const bad of ['x'.repeat(129), 'has space', 'non-ascii-é']) {
      const refused = await h.post({ from: CUSTOMER, to: AGENT }, { 'Idempotency-Key': bad });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY' });
    }
    expect(h.connects()).toHaveLength(1);
    expect(await recordedCalls()).toHaveLength(1);
  });
});
