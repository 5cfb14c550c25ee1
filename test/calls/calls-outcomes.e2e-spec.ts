import { CallsService, ExotelScheduler } from 'nestjs-exotel';
import { CALL_RECONCILE_JOB, ExotelClock, ManualClock } from 'nestjs-exotel/internal';
import { Faults } from 'exotel-simulator';
import { AGENT, CUSTOMER, startCallsHarness, until, type CallsHarness } from './calls-harness';

// Calls/connect against the simulator: the three outcomes, what is retried, and what is not.
describe('CallsService outcomes (e2e)', () => {
  let h: CallsHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('places a two-number call: initiated with the CallSid, one POST, call.requested before call.initiated', async () => {
    h = await startCallsHarness();
    const { status, body } = await h.post({ from: '9876543210', to: AGENT, timeLimit: 600, record: true });
    expect(status).toBe(201);
    expect(body).toMatchObject({ outcome: 'initiated', status: 'initiated', failover: false, attempts: 1 });
    expect(body.callSid).toBe(h.simulator.calls()[0].sid);
    const [request] = h.connects();
    expect(h.connects()).toHaveLength(1);
    expect(request.form).toMatchObject({
      From: CUSTOMER,
      To: AGENT,
      CallerId: '+918047491899',
      TimeLimit: '600',
      Record: 'true',
      CallType: 'trans',
    });
    expect(request.form?.CustomField).toBe(body.correlationId);
    const requested = await h.events('call.requested', body.id);
    const initiated = await h.events('call.initiated', body.id);
    expect(requested).toHaveLength(1);
    expect(initiated).toHaveLength(1);
    expect(requested[0].sequence).toBeLessThan(initiated[0].sequence);
    expect(initiated[0].data).toMatchObject({ callSid: body.callSid, callerId: { rule: 'preferred' } });
  });

  it('answers 504 as failed after exactly one POST', async () => {
    h = await startCallsHarness();
    h.simulator.injectFaults({ fault: Faults.gatewayTimeout() });
    const { status, body } = await h.post({ from: CUSTOMER, to: AGENT });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      outcome: 'failed',
      status: 'failed',
      callSid: null,
      exotelStatus: 504,
      attempts: 1,
    });
    expect(h.connects()).toHaveLength(1);
    expect(h.simulator.calls()).toHaveLength(0);
    expect(await h.events('call.failed', body.id)).toHaveLength(1);
  });

  it('retries a 429 (honouring Retry-After) and places the call once', async () => {
    h = await startCallsHarness();
    h.simulator.injectFaults({ fault: Faults.rateLimited(0) });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    expect(body).toMatchObject({ outcome: 'initiated', attempts: 2 });
    expect(h.connects().map((r) => r.status)).toEqual([429, 200]);
    expect(h.simulator.calls()).toHaveLength(1);
    expect(body.callSid).toBe(h.simulator.calls()[0].sid);
  });

  it('gives up on 429 after the configured attempts, failed and nothing placed', async () => {
    h = await startCallsHarness({
      exotel: { calls: { rateLimitRetries: { maxAttempts: 2, fallbackDelayMs: 10 } } },
    });
    h.simulator.injectFaults({ fault: Faults.rateLimited(), count: 5 });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    expect(body).toMatchObject({ outcome: 'failed', exotelStatus: 429, attempts: 2 });
    expect(h.connects()).toHaveLength(2);
    expect(h.simulator.calls()).toHaveLength(0);
  });

  it('records unknown when the simulator hangs after placing, with one POST; a status callback reconciles it', async () => {
    // Slow enough that the call ends after the client gave up: the terminal callback settles it.
    h = await startCallsHarness({
      callbacks: true,
      simulator: { speed: 4 },
      exotel: { timeouts: { connectMs: 200, requestMs: 400 } },
    });
    h.simulator.scriptNumber(CUSTOMER, { ringSeconds: 4 });
    h.simulator.scriptNumber(AGENT, { ringSeconds: 1, talkSeconds: 2 });
    h.simulator.injectFaults({ fault: Faults.hangAfterPlacing() });
    const { status, body } = await h.post({ from: CUSTOMER, to: AGENT });
    expect(status).toBe(201);
    expect(body).toMatchObject({ outcome: 'unknown', status: 'unknown', callSid: null });
    expect(h.connects()).toHaveLength(1);
    expect(await h.events('call.outcome_unknown', body.id)).toHaveLength(1);

    const placed = h.simulator.calls()[0];
    const settled = await until(async () => {
      const call = await h.get(body.id);
      return call.reconciliation ? call : undefined;
    });
    expect(settled).toMatchObject({
      callSid: placed.sid,
      outcome: 'initiated',
      reconciliation: { finding: 'placed', via: 'status_callback' },
    });
    const reconciled = await h.events('call.reconciled', body.id);
    expect(reconciled).toHaveLength(1);
    expect(reconciled[0].data).toMatchObject({
      finding: 'placed',
      callSid: placed.sid,
      via: 'status_callback',
    });
    await until(async () => (await h.get(body.id)).status === 'completed');
    expect(h.connects()).toHaveLength(1);
  });

  it('reconciles at once when a callback named the call while Calls/connect was still in flight', async () => {
    h = await startCallsHarness({
      callbacks: true,
      simulator: { speed: 50 },
      exotel: { timeouts: { connectMs: 200, requestMs: 1_500 } },
    });
    h.simulator.injectFaults({ fault: Faults.hangAfterPlacing() });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    const placed = h.simulator.calls()[0];
    // Callbacks came before the client gave up: the CallSid is known, the outcome settled at once.
    expect(body).toMatchObject({
      callSid: placed.sid,
      outcome: 'initiated',
      reconciliation: { finding: 'placed', via: 'status_callback' },
    });
    expect(await h.events('call.outcome_unknown', body.id)).toHaveLength(1);
    expect(await h.events('call.reconciled', body.id)).toHaveLength(1);
    expect(h.connects()).toHaveLength(1);
  });

  it('takes a 5xx for placed when a callback named the call while Calls/connect was in flight', async () => {
    h = await startCallsHarness({ callbacks: true, simulator: { speed: 50 } });
    // Exotel places the call, its callbacks arrive, and then Calls/connect answers 500.
    h.simulator.injectFaults({ fault: { status: 500, placeCall: true, delayMs: 60_000 } });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    const placed = h.simulator.calls()[0];
    expect(body).toMatchObject({
      callSid: placed.sid,
      outcome: 'initiated',
      exotelStatus: 500,
      reconciliation: { finding: 'placed', via: 'status_callback' },
    });
    expect(await h.events('call.failed', body.id)).toHaveLength(0);
    expect(await h.events('call.reconciled', body.id)).toHaveLength(1);
  });

  it('lets a Calls/connect answer that comes after the call was taken for abandoned settle it', async () => {
    const clock = new ManualClock(new Date());
    h = await startCallsHarness({
      simulator: { speed: 1 },
      customize: (builder) => builder.overrideProvider(ExotelClock).useValue(clock),
    });
    h.simulator.injectFaults({ fault: Faults.slow(1_500) });
    const { status, body } = await h.post({ from: CUSTOMER, to: AGENT, wait: false });
    expect(status).toBe(202);
    await until(async () => h.connects().length === 1);

    // Two days on (as if this process had stopped), the job takes the call for abandoned, finds
    // nothing in Exotel's call list (the call still rings) and, past the deadline, gives up on it.
    clock.advance(2 * 24 * 3_600_000);
    expect(await h.service.app.get(ExotelScheduler).runNow(CALL_RECONCILE_JOB)).toBe(true);
    expect(await h.get(body.id)).toMatchObject({
      outcome: 'failed',
      reconciliation: { finding: 'not_placed', via: 'deadline' },
    });

    // Then Exotel's answer arrives with the CallSid: that is proof the call was placed.
    await h.service.app.get(CallsService).whenIdle();
    const placed = h.simulator.calls()[0];
    expect(await h.get(body.id)).toMatchObject({
      callSid: placed.sid,
      outcome: 'initiated',
      status: 'initiated',
      reconciliation: { finding: 'placed', via: 'connect_answer' },
    });
    const findings = (await h.events('call.reconciled', body.id)).map((e) => e.data);
    expect(findings).toMatchObject([
      { finding: 'not_placed', via: 'deadline' },
      { finding: 'placed', via: 'connect_answer', callSid: placed.sid },
    ]);
    expect(h.connects()).toHaveLength(1);
  });

  it('reconciles an unknown call from the bulk call list and call details when no callback comes', async () => {
    h = await startCallsHarness({
      simulator: { speed: 200 },
      exotel: { timeouts: { connectMs: 200, requestMs: 400 } },
    });
    h.simulator.injectFaults({ fault: Faults.hangAfterPlacing() });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    expect(body.outcome).toBe('unknown');
    const placed = h.simulator.calls()[0];
    await h.simulator.waitForCall(placed.sid);

    const scheduler = h.service.app.get(ExotelScheduler);
    expect(await scheduler.runNow(CALL_RECONCILE_JOB)).toBe(true);
    const settled = await h.get(body.id);
    expect(settled).toMatchObject({
      callSid: placed.sid,
      outcome: 'initiated',
      status: 'completed',
      reconciliation: { finding: 'placed', via: 'bulk_list' },
    });
    expect(h.simulator.requests().filter((r) => r.endpoint === 'bulk-calls')).toHaveLength(1);
    expect(await h.events('call.reconciled', body.id)).toHaveLength(1);
    expect(await h.events('call.completed', body.id)).toHaveLength(1);
    // A second run finds nothing left to do, and Calls/connect was never sent again.
    await scheduler.runNow(CALL_RECONCILE_JOB);
    expect(await h.events('call.reconciled', body.id)).toHaveLength(1);
    expect(h.connects()).toHaveLength(1);
  });

  it('settles a placed call that no status callback reaches from call details once it ended', async () => {
    // No status callback URL (an embedding host without webhooks.publicBaseUrl): call details only.
    const clock = new ManualClock(new Date());
    h = await startCallsHarness({
      simulator: { speed: 200 },
      exotel: { calls: { reconcile: { silentAfterMs: 60_000 } } },
      customize: (builder) => builder.overrideProvider(ExotelClock).useValue(clock),
    });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    expect(body.outcome).toBe('initiated');
    const scheduler = h.service.app.get(ExotelScheduler);
    const lookups = () => h.simulator.requests().filter((r) => r.endpoint === 'call-details').length;

    // Not silent long enough yet: not looked up.
    await scheduler.runNow(CALL_RECONCILE_JOB);
    expect(lookups()).toBe(0);

    await h.simulator.waitForCall(body.callSid!);
    clock.advance(61_000);
    await scheduler.runNow(CALL_RECONCILE_JOB);
    expect(lookups()).toBe(1);
    expect(await h.get(body.id)).toMatchObject({ outcome: 'initiated', status: 'completed' });
    expect(await h.events('call.completed', body.id)).toHaveLength(1);

    // Settled: later runs leave it alone, and Calls/connect was sent once.
    clock.advance(61_000);
    await scheduler.runNow(CALL_RECONCILE_JOB);
    expect(await h.events('call.completed', body.id)).toHaveLength(1);
    expect(h.connects()).toHaveLength(1);
  });

  it('gives up on an unknown call it cannot find after the configured time, and says so', async () => {
    h = await startCallsHarness({
      exotel: { timeouts: { connectMs: 200, requestMs: 400 }, calls: { reconcile: { giveUpAfterMs: 1 } } },
    });
    h.simulator.injectFaults({ fault: Faults.hang() });
    const { body } = await h.post({ from: CUSTOMER, to: AGENT });
    expect(body.outcome).toBe('unknown');
    expect(h.simulator.calls()).toHaveLength(0);
    await h.service.app.get(ExotelScheduler).runNow(CALL_RECONCILE_JOB);
    const call = await h.get(body.id);
    expect(call).toMatchObject({
      outcome: 'unknown',
      reconciliation: { finding: 'gave_up', via: 'deadline' },
    });
    const [event] = await h.events('call.reconciled', body.id);
    expect(event.data).toMatchObject({ finding: 'gave_up', callSid: null, via: 'deadline' });
  });

  it('answers 202 at once with wait: false, and records the outcome in the background', async () => {
    h = await startCallsHarness();
    const { status, body } = await h.post({ from: CUSTOMER, to: AGENT, wait: false });
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'requested', outcome: 'unknown' });
    const settled = await until(async () => {
      const call = await h.get(body.id);
      return call.settledAt ? call : undefined;
    });
    expect(settled).toMatchObject({ outcome: 'initiated', callSid: h.simulator.calls()[0].sid });
  });
});
