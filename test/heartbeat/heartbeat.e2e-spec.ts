import { ExoPhoneHealthService } from 'nestjs-exotel';
import {
  ExotelDatabase,
  HeartbeatIngestion,
  HeartbeatWatch,
  ManualClock,
  OutboxEventEntity,
  OutboxRelay,
} from 'nestjs-exotel/internal';
import { HeartbeatEntity } from '../../libs/exotel/src/heartbeat/heartbeat.entity';
import { TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { heartbeat, startOnClock } from './heartbeat-fixtures';

const START = '2026-11-23T10:00:00.000Z';

describe('heartbeat webhook (e2e)', () => {
  let service: TestService;
  let clock: ManualClock;
  const url = () => `${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`;
  const post = (body: unknown, target = url(), headers: Record<string, string> = {}) =>
    fetch(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const deliver = async (body: unknown) => {
    const response = await post(body);
    expect(response.status).toBe(200);
    await service.app.get(HeartbeatIngestion).applyPending();
    return (await response.json()) as { received: boolean; duplicate: boolean };
  };
  const exophones = async (query = '') =>
    (await (await fetch(`${service.url}/exophones${query}`, { headers: service.auth })).json()) as {
      items: { sid: string; incoming: { state: string }; outgoing: { state: string } }[];
      total: number;
    };
  const healthEvents = () =>
    service.app
      .get(ExotelDatabase)
      .read((m) =>
        m.find(OutboxEventEntity, { where: { type: 'exophone.health_changed' }, order: { position: 'ASC' } }),
      );

  beforeEach(async () => {
    clock = new ManualClock(START);
    service = await startOnClock(clock);
  });

  afterEach(async () => {
    await service.close();
  });

  it('applies a heartbeat another replica stored (its body read back from the database)', async () => {
    const body = JSON.stringify(heartbeat('2026-11-23T10:00:00Z', 'WARNING', { outgoing: ['02230000002'] }));
    const ingestion = service.app.get(HeartbeatIngestion);
    await service.app.get(ExotelDatabase).transaction(async (m) =>
      m.insert(HeartbeatEntity, {
        id: '01JBREPLICA000000000000000',
        accountSid: (await ingestion.state(m)).accountSid,
        timestamp: new Date('2026-11-23T10:00:00Z'),
        statusType: 'WARNING',
        receivedAt: clock.now(),
        deliveries: 1,
        body,
        outcome: 'pending',
        appliedAt: null,
        changes: null,
      }),
    );
    await ingestion.applyPending();
    expect((await exophones()).items.map((e) => [e.sid, e.outgoing.state])).toEqual([
      ['02230000002', 'major_outage'],
    ]);
  });

  it("applies the seed's three scenarios: WARNING, CRITICAL, then OK", async () => {
    await deliver(
      heartbeat('2026-11-23T10:00:00Z', 'WARNING', { incoming: ['08030000001'], outgoing: ['02230000002'] }),
    );
    let list = await exophones();
    expect(list.items.map((e) => [e.sid, e.incoming.state, e.outgoing.state])).toEqual([
      ['02230000002', 'active', 'major_outage'],
      ['08030000001', 'major_outage', 'active'],
    ]);
    const page = await exophones('?limit=1&offset=1');
    expect([page.items.map((e) => e.sid), page.total]).toEqual([['08030000001'], 2]);
    const badPage = await fetch(`${service.url}/exophones?limit=0`, { headers: service.auth });
    expect([badPage.status, ((await badPage.json()) as { code: string }).code]).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);

    await deliver(
      heartbeat('2026-11-23T10:01:00Z', 'CRITICAL', {
        incoming: ['08030000001', '02230000002'],
        outgoing: ['08030000001', '02230000002'],
      }),
    );
    list = await exophones('?state=major_outage&direction=outgoing');
    expect(list.total).toBe(2);

    await deliver(heartbeat('2026-11-23T10:02:00Z', 'OK'));
    list = await exophones();
    expect(list.items.every((e) => e.incoming.state === 'active' && e.outgoing.state === 'active')).toBe(
      true,
    );
    expect((await exophones('?state=major_outage')).total).toBe(0);

    const detail = (await (
      await fetch(`${service.url}/exophones/08030000001`, { headers: service.auth })
    ).json()) as {
      history: { direction: string; previous: string; current: string; source: string }[];
    };
    expect(
      detail.history.filter((h) => h.direction === 'outgoing').map((h) => `${h.previous}->${h.current}`),
    ).toEqual(['major_outage->active', 'active->major_outage', 'unknown->active']);
  });

  it('keeps newer news: a sweep observation older than the applied heartbeat changes nothing', async () => {
    await deliver(heartbeat('2026-11-23T10:01:00Z', 'WARNING', { outgoing: ['02230000002'] }));
    const health = service.app.get(ExoPhoneHealthService);
    const db = service.app.get(ExotelDatabase);
    const sweep = (checkedAt: string) =>
      db.transaction((manager) =>
        health.applyObservations(manager, {
          observations: [
            {
              exoPhoneSid: '02230000002',
              direction: 'outgoing',
              state: 'active',
              checkedAt: new Date(checkedAt),
            },
          ],
          source: 'sweep',
          observedAt: new Date('2026-11-23T10:02:00Z'),
          othersActive: false,
        }),
      );
    expect(await sweep('2026-11-23T10:00:30Z')).toEqual([]);
    expect((await exophones('?state=major_outage&direction=outgoing')).total).toBe(1);
    expect(await sweep('2026-11-23T10:01:30Z')).toEqual([
      { exoPhoneSid: '02230000002', direction: 'outgoing', previous: 'major_outage', current: 'active' },
    ]);
    expect((await exophones('?state=major_outage')).total).toBe(0);
  });

  it('applies a repeated heartbeat once: one exophone.health_changed per change', async () => {
    const body = heartbeat('2026-11-23T10:00:00Z', 'WARNING', { outgoing: ['08030000001'] });
    expect(await deliver(body)).toEqual({ received: true, duplicate: false });
    const after = (await healthEvents()).length;
    expect(after).toBe(2); // unknown -> major_outage (outgoing), unknown -> active (incoming)
    expect(await deliver(body)).toEqual({ received: true, duplicate: true });
    expect(await deliver(body)).toEqual({ received: true, duplicate: true });
    expect((await healthEvents()).length).toBe(after);
    const events = await healthEvents();
    expect(events.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          exoPhoneSid: '08030000001',
          direction: 'outgoing',
          previous: 'unknown',
          current: 'major_outage',
          source: 'heartbeat',
        }),
      ]),
    );
  });

  it('records a late heartbeat (made before the applied one arrived) and changes nothing', async () => {
    clock.advance(5 * 60_000 + 30_000);
    await deliver(heartbeat('2026-11-23T10:05:00Z', 'WARNING', { outgoing: ['08030000001'] }));
    const before = await exophones();
    const events = (await healthEvents()).length;
    // Exotel's retry of a heartbeat whose first delivery was lost, after its successor got through.
    clock.advance(15_000);
    await deliver(heartbeat('2026-11-23T10:04:00Z', 'OK'));
    expect(await exophones()).toEqual(before);
    expect((await healthEvents()).length).toBe(events);
  });

  it('refuses bad requests with clear errors and writes nothing', async () => {
    const state = async () => {
      const db = service.app.get(ExotelDatabase);
      return db.read(async (m) => ({
        heartbeats: Number((await m.query('SELECT COUNT(*) AS n FROM exotel_heartbeats'))[0].n),
        events: await m.count(OutboxEventEntity),
      }));
    };
    const cases: [string, Promise<Response>, number, string][] = [
      [
        'no key',
        post(heartbeat('2026-11-23T10:00:00Z', 'OK'), `${service.url}/exotel/heartbeat`),
        401,
        'WEBHOOK_UNAUTHORIZED',
      ],
      [
        'wrong key',
        post(
          heartbeat('2026-11-23T10:00:00Z', 'OK'),
          `${service.url}/exotel/heartbeat?key=nope-nope-nope-nope`,
        ),
        401,
        'WEBHOOK_UNAUTHORIZED',
      ],
      ['13 MB', post(`{"pad":"${'x'.repeat(13 * 1024 * 1024)}"}`), 413, 'PAYLOAD_TOO_LARGE'],
      ['malformed JSON', post('{'), 400, 'MALFORMED_BODY'],
      ['not a heartbeat', post('{"status_type":"BOGUS"}'), 400, 'VALIDATION_FAILED'],
    ];
    for (const [name, pending, status, code] of cases) {
      const response = await pending;
      expect([name, response.status]).toEqual([name, status]);
      const body = (await response.json()) as { code: string; message: string; requestId: string };
      expect([name, body.code]).toEqual([name, code]);
      expect(body.requestId).toEqual(expect.any(String));
    }
    const invalid = (await (await post('{"status_type":"BOGUS"}')).json()) as { message: string };
    expect(invalid.message).toContain('status_type');
    expect(await state()).toEqual({ heartbeats: 0, events: 0 });
  });

  it('accepts the secret as the HTTP Basic password, and any of several secrets', async () => {
    const basic = Buffer.from(`exotel:${TEST_WEBHOOK_SECRET}`).toString('base64');
    const response = await post(heartbeat('2026-11-23T10:00:00Z', 'OK'), `${service.url}/exotel/heartbeat`, {
      Authorization: `Basic ${basic}`,
    });
    expect(response.status).toBe(200);
  });

  it('accepts a body close to the 10 MB limit', async () => {
    const affected = Array.from({ length: 34_000 }, (_, i) => `0${8000000000 + i}`);
    const body = heartbeat('2026-11-23T10:00:00Z', 'WARNING', { outgoing: affected });
    const text = JSON.stringify(body);
    expect(Buffer.byteLength(text)).toBeGreaterThan(9 * 1024 * 1024);
    expect(Buffer.byteLength(text)).toBeLessThan(10 * 1024 * 1024);
    const response = await post(text);
    expect(response.status).toBe(200);
    await service.app.get(HeartbeatIngestion).applyPending();
    expect((await exophones('?state=major_outage&direction=outgoing')).total).toBe(34_000);
    // 34,000 ExoPhones created and changed: a hang guard for loaded machines, not a time goal.
  }, 120_000);

  it('raises heartbeat.missed after two silent intervals, then heartbeat.restored, once each', async () => {
    const watch = service.app.get(HeartbeatWatch);
    await deliver(heartbeat('2026-11-23T10:00:00Z', 'OK'));
    clock.advance(60_000);
    expect(await watch.check()).toBe(false);
    clock.advance(61_000);
    expect(await watch.check()).toBe(true);
    expect(await watch.check()).toBe(false);
    clock.advance(30_000);
    await deliver(heartbeat('2026-11-23T10:03:00Z', 'OK'));
    const types = await service.app.get(ExotelDatabase).read((m) =>
      m.find(OutboxEventEntity, {
        where: [{ type: 'heartbeat.missed' }, { type: 'heartbeat.restored' }],
        order: { position: 'ASC' },
      }),
    );
    expect(types.map((e) => e.type)).toEqual(['heartbeat.missed', 'heartbeat.restored']);
    expect(types[0].data).toMatchObject({ expectedEverySeconds: 60, lastHeartbeatAt: START });
    await service.app.get(OutboxRelay).drain();
  });
});
