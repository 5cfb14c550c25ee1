import { ExotelDatabase, HeartbeatIngestion, ManualClock } from 'nestjs-exotel/internal';
import { parseHeartbeat } from '../../libs/exotel/src/heartbeat/heartbeat-payload';
import { HeartbeatEntity } from '../../libs/exotel/src/heartbeat/heartbeat.entity';
import { TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { heartbeat, startOnClock } from './heartbeat-fixtures';

const START = '2026-11-23T10:00:00.000Z';
/** Writing this ExoPhone's row fails in the database (a trigger), like an unexpected DB error. */
const POISON = '09990000666';
const HEALTHY = '08030000001';

/** A trigger refusing every write of the POISON ExoPhone's row, in the dialect's own SQL. */
async function poisonExoPhone(db: ExotelDatabase): Promise<void> {
  if (db.dialect === 'sqlite') {
    for (const event of ['INSERT', 'UPDATE'])
      await db.dataSource.query(
        `CREATE TRIGGER exotel_test_poison_${event.toLowerCase()} BEFORE ${event} ON exotel_exophones ` +
          `WHEN NEW.sid = '${POISON}' BEGIN SELECT RAISE(ABORT, 'poisoned ExoPhone row'); END`,
      );
    return;
  }
  await db.dataSource.query(
    'CREATE FUNCTION exotel_test_poison() RETURNS trigger AS $$ BEGIN ' +
      `IF NEW.sid = '${POISON}' THEN RAISE EXCEPTION 'poisoned ExoPhone row'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
  );
  await db.dataSource.query(
    'CREATE TRIGGER exotel_test_poison BEFORE INSERT OR UPDATE ON exotel_exophones ' +
      'FOR EACH ROW EXECUTE FUNCTION exotel_test_poison()',
  );
}

// Item 0b of issue 17: a heartbeat that still fails to apply is set aside after
// heartbeat.maxApplyAttempts, recorded, counted and reported, and the next one applies.
describe('a heartbeat that fails to apply (e2e)', () => {
  let service: TestService;
  let clock: ManualClock;
  const post = async (body: unknown) => {
    const response = await fetch(`${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };
  const apply = () => service.app.get(HeartbeatIngestion).applyPending();
  const rows = () =>
    service.app
      .get(ExotelDatabase)
      .read((m) => m.find(HeartbeatEntity, { order: { receivedAt: 'ASC' } }))
      .then((all) => all.map((r) => [r.outcome, r.failedAttempts, r.applyError]));
  const ready = async () =>
    (
      (await (await fetch(`${service.url}/health/ready`)).json()) as {
        details: { exophones: { status: string; heartbeatSetAsideAt: string | null } };
      }
    ).details.exophones;
  const setAsideTotal = async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    return Number(/^exotel_heartbeats_set_aside_total (\d+)$/m.exec(text)?.[1]);
  };
  const outgoing = async (sid: string) =>
    (
      (await (await fetch(`${service.url}/exophones/${sid}`, { headers: service.auth })).json()) as {
        outgoing: { state: string };
      }
    ).outgoing.state;

  beforeEach(async () => {
    clock = new ManualClock(START);
    service = await startOnClock(clock);
    await poisonExoPhone(service.app.get(ExotelDatabase));
  });

  afterEach(async () => {
    await service.close();
  });

  it('sets it aside after 3 attempts, counts it, degrades readiness, and applies the next one', async () => {
    expect(await setAsideTotal()).toBe(0);
    // Recorded as the webhook does, without its immediate apply, so the test counts the attempts.
    const body = JSON.stringify(
      heartbeat('2026-11-23T10:00:00Z', 'WARNING', { outgoing: [POISON, HEALTHY] }),
    );
    await service.app.get(HeartbeatIngestion).record(parseHeartbeat(JSON.parse(body)), body);
    await apply();
    await apply();
    expect(await rows()).toEqual([['pending', 2, expect.stringContaining('poisoned ExoPhone row')]]);
    expect((await ready()).status).toBe('up');

    // The next heartbeat arrives while the first is still pending: it waits one more attempt only.
    clock.advance(60_000);
    await post(heartbeat('2026-11-23T10:01:00Z', 'WARNING', { outgoing: [HEALTHY] }));
    await apply();
    expect(await rows()).toEqual([
      ['set_aside', 3, expect.stringContaining('poisoned ExoPhone row')],
      ['applied', 0, null],
    ]);
    expect(await outgoing(HEALTHY)).toBe('major_outage');
    expect(await setAsideTotal()).toBe(1);
    const degraded = await ready();
    expect(degraded).toMatchObject({ status: 'degraded', heartbeatSetAsideAt: '2026-11-23T10:01:00.000Z' });

    // Until a heartbeat that arrived after the set-aside applies.
    clock.advance(60_000);
    await post(heartbeat('2026-11-23T10:02:00Z', 'OK'));
    await apply();
    expect(await outgoing(HEALTHY)).toBe('active');
    expect(await ready()).toMatchObject({ status: 'up', heartbeatSetAsideAt: null });
    expect(await setAsideTotal()).toBe(1);
  });
});
