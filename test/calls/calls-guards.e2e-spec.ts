import { ExotelMetrics } from 'nestjs-exotel';
import { CallLatencyWatch, ExotelClock, ManualClock } from 'nestjs-exotel/internal';
import { Faults } from 'exotel-simulator';
import { TEST_WEBHOOK_SECRET } from '../support/test-service';
import { AGENT, CUSTOMER, startCallsHarness, until, type CallsHarness } from './calls-harness';

// Input checks, TRAI hours, failover, flow applets and the latency watch, against the simulator.
describe('calls: bad input (e2e)', () => {
  let h: CallsHarness;
  {
    // 22:00 IST: promotional calls are refused; everything else is judged on its own.
    const clock = new ManualClock('2026-03-02T16:30:00Z');
    beforeAll(async () => {
      h = await startCallsHarness({
        customize: (builder) => builder.overrideProvider(ExotelClock).useValue(clock),
      });
    });
    afterAll(async () => {
      await h.close();
    });

    it.each([
      { name: 'an unparseable From', body: { from: '12345', to: AGENT }, code: 'INVALID_PHONE_NUMBER' },
      {
        name: 'an unparseable To',
        body: { from: CUSTOMER, to: 'not-a-number' },
        code: 'INVALID_PHONE_NUMBER',
      },
      {
        name: 'a To and a flow together',
        body: { from: CUSTOMER, to: AGENT, appletId: '123456' },
        code: 'CALL_TARGET_CONFLICT',
      },
      { name: 'no target', body: { from: CUSTOMER }, code: 'CALL_TARGET_MISSING' },
      {
        name: 'TimeLimit over 14,400',
        body: { from: CUSTOMER, to: AGENT, timeLimit: 14_401 },
        code: 'TIME_LIMIT_OUT_OF_RANGE',
      },
      {
        name: 'CustomField over 128 characters',
        body: { from: CUSTOMER, to: AGENT, customField: 'x'.repeat(129) },
        code: 'CUSTOM_FIELD_TOO_LONG',
      },
      {
        name: 'CustomField leaving no room for the correlation id',
        body: { from: CUSTOMER, to: AGENT, customField: 'x'.repeat(112) },
        code: 'CUSTOM_FIELD_TOO_LONG',
      },
      {
        name: 'a promotional call at 22:00 IST',
        body: { from: CUSTOMER, to: AGENT, purpose: 'promotional' },
        code: 'PROMOTIONAL_CALL_OUTSIDE_HOURS',
      },
      {
        name: 'a stream URL that is not ws(s)',
        body: { from: CUSTOMER, streamUrl: 'https://bot.example.com' },
        code: 'INVALID_STREAM_URL',
      },
      {
        name: 'a flow without an applet configured',
        body: { from: CUSTOMER, template: 'unknown' },
        code: 'NO_APPLET_CONFIGURED',
      },
      {
        name: 'a wrongly typed field',
        body: { from: CUSTOMER, to: AGENT, timeLimit: 'long' },
        code: 'VALIDATION_FAILED',
      },
    ])('refuses $name with 400 $code, sending nothing to Exotel', async ({ body, code }) => {
      const { status, body: answer } = await h.post(body);
      expect(status).toBe(400);
      expect(answer.code).toBe(code);
      expect(answer.message).toEqual(expect.any(String));
      expect(h.simulator.requests().filter((r) => r.endpoint !== 'exophones-list')).toHaveLength(0);
      expect(h.connects()).toHaveLength(0);
      expect(h.service.app.get(CallLatencyWatch).percentiles().samples).toBe(0);
      const list = await fetch(`${h.service.url}/calls`, { headers: h.service.auth });
      expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(0);
      expect(await h.events('call.requested')).toHaveLength(0);
    });

    it('places a promotional call inside 09:00-21:00 IST', async () => {
      clock.set('2026-03-02T10:00:00Z'); // 15:30 IST
      const { status, body } = await h.post({ from: CUSTOMER, to: AGENT, purpose: 'promotional' });
      expect(status).toBe(201);
      expect(body).toMatchObject({ outcome: 'initiated', purpose: 'promotional' });
    });
  }
});

describe('calls: failover, flows and latency (e2e)', () => {
  let h: CallsHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('uses the alternate ExoPhone when the caller id is down for outgoing calls, and records it', async () => {
    h = await startCallsHarness();
    const [preferred, alternate] = h.simulator.exoPhones();
    h.simulator.setHealth(preferred.sid, 'outgoing', 'major_outage', { alternate: [alternate.phoneNumber] });
    h.simulator.setHeartbeat({
      url: `${h.service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`,
      intervalSeconds: 3_600,
    });
    expect((await h.simulator.emitHeartbeatNow({ shape: 'direct' })).ok).toBe(true);
    await until(async () => {
      const response = await fetch(`${h.service.url}/exophones/${preferred.sid}`, {
        headers: h.service.auth,
      });
      return ((await response.json()) as { outgoing: { state: string } }).outgoing.state === 'major_outage';
    });
    h.simulator.setHeartbeat(undefined);

    const { body } = await h.post({ from: CUSTOMER, to: AGENT, callerId: preferred.phoneNumber });
    expect(body).toMatchObject({
      outcome: 'initiated',
      failover: true,
      callerId: { requested: preferred.phoneNumber, chosen: alternate.phoneNumber, rule: 'alternate' },
    });
    expect(h.connects()[0].form?.CallerId).toBe(alternate.phoneNumber);
    const [requested] = await h.events('call.requested', body.id);
    expect(requested.data).toMatchObject({
      callerId: alternate.phoneNumber,
      failover: { rule: 'alternate' },
    });
    const [initiated] = await h.events('call.initiated', body.id);
    expect(initiated.data).toMatchObject({ callerId: { rule: 'alternate', chosen: alternate.phoneNumber } });
  });

  it('connects a number to a flow: per-template applet first, then the default applet', async () => {
    h = await startCallsHarness({
      env: { EXOTEL_TEMPLATE_APPLET_APP_ID: '111111', EXOTEL_TEMPLATE_APPLETS: 'onboarding=222222' },
    });
    const templated = await h.post({ from: CUSTOMER, template: 'onboarding' });
    const fallback = await h.post({ from: CUSTOMER, template: 'collections' });
    const explicit = await h.post({ from: CUSTOMER, appletId: '333333' });
    expect([templated, fallback, explicit].map((r) => [r.status, r.body.mode, r.body.target])).toEqual([
      [201, 'flow', '222222'],
      [201, 'flow', '111111'],
      [201, 'flow', '333333'],
    ]);
    const sid = h.simulator.accountSid;
    expect(h.connects().map((r) => [r.form?.Url, r.form?.To])).toEqual([
      [`http://my.exotel.com/${sid}/exoml/start_voice/222222`, undefined],
      [`http://my.exotel.com/${sid}/exoml/start_voice/111111`, undefined],
      [`http://my.exotel.com/${sid}/exoml/start_voice/333333`, undefined],
    ]);
  });

  it('connects a number to a Voice AI stream without storing the URL query', async () => {
    h = await startCallsHarness();
    const { body } = await h.post({
      from: CUSTOMER,
      streamUrl: 'wss://bot.example.com/media?token=s3cret',
      streamName: 'bot',
    });
    expect(body).toMatchObject({
      outcome: 'initiated',
      mode: 'stream',
      target: 'wss://bot.example.com/media',
    });
    expect(h.connects()[0].form).toMatchObject({
      StreamUrl: 'wss://bot.example.com/media?token=s3cret',
      StreamType: 'bidirectional',
    });
    expect(JSON.stringify(await h.events('call.requested', body.id))).not.toContain('s3cret');
  });

  it('publishes call.latency_degraded once when Calls/connect slows past the thresholds, and call.latency_restored after', async () => {
    h = await startCallsHarness({
      simulator: { speed: 1 },
      exotel: {
        calls: { latency: { p50Ms: 400, p95Ms: 1_000, p99Ms: 2_000, windowSize: 10, minSamples: 5 } },
      },
    });
    const watch = h.service.app.get(CallLatencyWatch);
    h.simulator.injectFaults({ fault: Faults.slow(450), count: 6 });
    for (let i = 0; i < 6; i++) await h.post({ from: CUSTOMER, to: AGENT });
    await watch.settled();
    const degraded = await h.events('call.latency_degraded');
    expect(degraded).toHaveLength(1);
    expect(degraded[0].data).toMatchObject({ thresholds: { p50Ms: 400, p95Ms: 1000, p99Ms: 2000 } });
    expect((degraded[0].data as { p50Ms: number }).p50Ms).toBeGreaterThan(400);
    const metrics = await h.service.app.get(ExotelMetrics).registry.metrics();
    expect(metrics).toMatch(/exotel_calls_connect_latency_ms\{quantile="0.5"\} \d+/);

    for (let i = 0; i < 10; i++) await h.post({ from: CUSTOMER, to: AGENT });
    await watch.settled();
    expect(await h.events('call.latency_degraded')).toHaveLength(1);
    const restored = await h.events('call.latency_restored');
    expect(restored).toHaveLength(1);
    expect((restored[0].data as { p99Ms: number }).p99Ms).toBeLessThanOrEqual(2_000);
  });
});
