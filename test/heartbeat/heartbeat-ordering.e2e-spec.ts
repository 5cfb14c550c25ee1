import { ExotelDatabase, HeartbeatIngestion, ManualClock, OutboxEventEntity } from 'nestjs-exotel/internal';
import { HeartbeatStateEntity } from '../../libs/exotel/src/heartbeat/heartbeat-state.entity';
import { TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { heartbeat, startOnClock } from './heartbeat-fixtures';

const START = '2026-11-23T10:00:00.000Z';
const SID = '08030000001';

// Item 0 of issue 17: one future-dated heartbeat must not blind failover; ordering by arrival
// within the allowed skew; an operator can reset the ordering state.
describe('heartbeat timestamps and ordering (e2e)', () => {
  let service: TestService;
  let clock: ManualClock;
  const post = (body: unknown) =>
    fetch(`${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const deliver = async (body: unknown) => {
    const response = await post(body);
    expect(response.status).toBe(200);
    await service.app.get(HeartbeatIngestion).applyPending();
  };
  const outgoing = async (sid = SID) =>
    (
      (await (await fetch(`${service.url}/exophones/${sid}`, { headers: service.auth })).json()) as {
        outgoing: { state: string };
      }
    ).outgoing.state;
  const written = () =>
    service.app.get(ExotelDatabase).read(async (m) => ({
      heartbeats: Number((await m.query('SELECT COUNT(*) AS n FROM exotel_heartbeats'))[0].n),
      events: await m.count(OutboxEventEntity),
      state: await m.findOneBy(HeartbeatStateEntity, {}),
    }));
  const reset = (headers: Record<string, string>) =>
    fetch(`${service.url}/heartbeat/ordering/reset`, { method: 'POST', headers });

  beforeEach(async () => {
    clock = new ManualClock(START);
    service = await startOnClock(clock);
  });

  afterEach(async () => {
    await service.close();
  });

  it('refuses a 2099 heartbeat with 400, changing nothing; a CRITICAL one after it still marks the ExoPhone', async () => {
    await deliver(heartbeat('2026-11-23T10:00:00Z', 'OK'));
    const before = await written();
    for (const stamp of ['2099-01-01T00:00:00Z', '2026-11-23T10:05:01Z', '2026-11-23T09:54:59Z']) {
      // Exotel retries a refused heartbeat twice: each retry gets the same answer.
      for (let delivery = 0; delivery < 3; delivery++) {
        const response = await post(heartbeat(stamp, 'WARNING', { outgoing: [SID] }));
        expect([stamp, response.status]).toEqual([stamp, 400]);
        const body = (await response.json()) as { code: string; message: string };
        expect(body.code).toBe('HEARTBEAT_TIMESTAMP_SKEWED');
        expect(body.message).toContain('heartbeat.maxClockSkewMs');
      }
    }
    await service.app.get(HeartbeatIngestion).applyPending();
    expect(await written()).toEqual(before);

    clock.advance(60_000);
    await deliver(heartbeat('2026-11-23T10:01:00Z', 'CRITICAL', { incoming: [SID], outgoing: [SID] }));
    expect(await outgoing()).toBe('major_outage');
  });

  it('orders by arrival within the skew: a heartbeat after one stamped ahead is applied', async () => {
    // Stamped four minutes ahead (within the five allowed): applied.
    await deliver(heartbeat('2026-11-23T10:04:00Z', 'WARNING', { outgoing: [SID] }));
    expect(await outgoing()).toBe('major_outage');
    // A minute later a correctly stamped heartbeat, "older" by Exotel's timestamps, made after the
    // first one reached us: newer news.
    clock.advance(60_000);
    await deliver(heartbeat('2026-11-23T10:01:00Z', 'OK'));
    expect(await outgoing()).toBe('active');
    clock.advance(60_000);
    await deliver(heartbeat('2026-11-23T10:02:00Z', 'WARNING', { outgoing: [SID] }));
    expect(await outgoing()).toBe('major_outage');
    const state = (await written()).state!;
    // The newest timestamp applied stays the first one's; the arrival is the last one's.
    expect(state.lastAppliedTimestamp?.toISOString()).toBe('2026-11-23T10:04:00.000Z');
    expect(state.lastAppliedReceivedAt?.toISOString()).toBe('2026-11-23T10:02:00.000Z');
  });

  it('lets an operator reset the ordering state, behind the management key', async () => {
    await deliver(heartbeat('2026-11-23T10:00:00Z', 'WARNING', { outgoing: [SID] }));
    // A far-future timestamp stored before this release (its arrival unknown), as after an upgrade.
    const { accountSid } = (await written()).state!;
    await service.app
      .get(ExotelDatabase)
      .transaction((m) =>
        m.update(
          HeartbeatStateEntity,
          { accountSid },
          { lastAppliedTimestamp: new Date('2099-01-01T00:00:00Z'), lastAppliedReceivedAt: null },
        ),
      );
    clock.advance(60_000);
    await deliver(heartbeat('2026-11-23T10:01:00Z', 'OK'));
    expect(await outgoing()).toBe('major_outage');

    const refused = await reset({});
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([
      401,
      'UNAUTHORIZED',
    ]);
    expect((await written()).state?.lastAppliedTimestamp?.toISOString()).toBe('2099-01-01T00:00:00.000Z');

    const response = await reset(service.auth);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      lastAppliedTimestamp: '2099-01-01T00:00:00.000Z',
      lastAppliedReceivedAt: null,
    });
    clock.advance(60_000);
    await deliver(heartbeat('2026-11-23T10:02:00Z', 'OK'));
    expect(await outgoing()).toBe('active');
  });
});
