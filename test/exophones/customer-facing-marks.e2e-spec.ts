import { ExotelDatabase, OutboxEventEntity } from 'nestjs-exotel/internal';
import { ExotelSimulator } from 'exotel-simulator';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USE_POSTGRES } from '../support/postgres';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { until } from '../support/until';

type ExoPhone = { sid: string; customerFacing: boolean; customerFacingMark: boolean | null };

// Operators' customer-facing marks through PUT /exophones/:sid/customer-facing, against the
// reference service and the simulator's inventory, on the database TEST_DATABASE names. The
// database outlives each service (a file for SQLite) so a restart with other options can be seen.
describe('customer-facing marks (e2e)', () => {
  let simulator: ExotelSimulator;
  let database: TestDatabase;
  let directory: string | undefined;
  let service: TestService;

  const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${service.url}${path}`, {
      ...init,
      headers: { ...service.auth, 'Content-Type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const mark = (sid: string, body: unknown) =>
    api<ExoPhone & { code?: string }>(`/exophones/${encodeURIComponent(sid)}/customer-facing`, {
      method: 'PUT',
      body: JSON.stringify(body),
    });
  const phone = async (sid: string) => (await api<ExoPhone>(`/exophones/${encodeURIComponent(sid)}`)).body;
  const refresh = async () => expect((await api('/exophones/refresh', { method: 'POST' })).status).toBe(200);
  const changes = async () =>
    (
      await service.app.get(ExotelDatabase).read((m) =>
        m.find(OutboxEventEntity, {
          where: { type: 'exophone.customer_facing_changed' },
          order: { position: 'ASC' },
        }),
      )
    ).map((event): Record<string, unknown> => ({ subject: event.subject, ...event.data }));
  const start = async (customerFacing: string[]) => {
    service = await startTestService({
      simulator,
      database,
      overrides: { exotel: { heartbeat: { frequencySeconds: 3_600 }, exophones: { customerFacing } } },
    });
    await until(async () => (await api<{ total: number }>('/exophones')).body.total === inventory().length);
  };
  const inventory = () => simulator.exoPhones();

  beforeEach(async () => {
    simulator = new ExotelSimulator({});
    if (USE_POSTGRES) database = await createTestDatabase('postgres');
    else {
      directory = mkdtempSync(join(tmpdir(), 'exotel-marks-'));
      const path = join(directory, 'service.sqlite');
      database = { settings: { type: 'sqlite', path }, isolation: {}, drop: async () => undefined };
    }
  });

  afterEach(async () => {
    simulator.setHeartbeat(undefined);
    await service.close();
    await database.drop();
    if (directory) rmSync(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('marks ExoPhones either way over the options, keeps the marks through syncs, and clears them', async () => {
    const [byOptions, other] = inventory();
    await start([byOptions.phoneNumber]);
    expect(await phone(byOptions.sid)).toMatchObject({ customerFacing: true, customerFacingMark: null });

    const marked = await mark(other.sid, { customerFacing: true });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ sid: other.sid, customerFacing: true, customerFacingMark: true });
    expect((await mark(byOptions.sid, { customerFacing: false })).body).toMatchObject({
      customerFacing: false,
      customerFacingMark: false,
    });

    await refresh();
    expect(await phone(other.sid)).toMatchObject({ customerFacing: true, customerFacingMark: true });
    expect(await phone(byOptions.sid)).toMatchObject({ customerFacing: false, customerFacingMark: false });
    const listed = (await api<{ items: ExoPhone[] }>('/exophones')).body.items;
    expect(listed.filter((e) => e.customerFacing).map((e) => e.sid)).toEqual([other.sid]);

    // Cleared: the options decide again, and go on deciding at the next sync.
    expect((await mark(byOptions.sid, { customerFacing: null })).body).toMatchObject({
      customerFacing: true,
      customerFacingMark: null,
    });
    // Setting what is set changes nothing and publishes nothing.
    expect((await mark(byOptions.sid, { customerFacing: null })).status).toBe(200);
    await refresh();
    expect(await phone(byOptions.sid)).toMatchObject({ customerFacing: true, customerFacingMark: null });

    expect(await changes()).toEqual([
      {
        subject: other.sid,
        exoPhoneSid: other.sid,
        phoneNumber: other.phoneNumber,
        customerFacing: true,
        mark: true,
        source: 'operator',
      },
      {
        subject: byOptions.sid,
        exoPhoneSid: byOptions.sid,
        phoneNumber: byOptions.phoneNumber,
        customerFacing: false,
        mark: false,
        source: 'operator',
      },
      {
        subject: byOptions.sid,
        exoPhoneSid: byOptions.sid,
        phoneNumber: byOptions.phoneNumber,
        customerFacing: true,
        mark: null,
        source: 'operator',
      },
    ]);
  });

  it('keeps the marks when the service restarts with other options, and says what the options changed', async () => {
    const [first, second, third] = inventory();
    await start([first.phoneNumber, second.sid]);
    await mark(second.sid, { customerFacing: true });
    await mark(third.sid, { customerFacing: false });
    await service.close();

    // Now the options name the third only: its mark wins, the first follows the options.
    await start([third.sid]);
    await refresh();
    expect(await phone(first.sid)).toMatchObject({ customerFacing: false, customerFacingMark: null });
    expect(await phone(second.sid)).toMatchObject({ customerFacing: true, customerFacingMark: true });
    expect(await phone(third.sid)).toMatchObject({ customerFacing: false, customerFacingMark: false });
    expect((await changes()).filter((c) => c.source === 'options')).toEqual([
      {
        subject: first.sid,
        exoPhoneSid: first.sid,
        phoneNumber: first.phoneNumber,
        customerFacing: false,
        mark: null,
        source: 'options',
      },
    ]);
  });

  it("changes incidents' advice: a marked ExoPhone is warned about, an unmarked one not", async () => {
    const ka = inventory().filter((e) => e.region === 'KA');
    await start([ka[1].sid]);
    await mark(ka[0].sid, { customerFacing: true });
    await mark(ka[1].sid, { customerFacing: false });
    simulator.setHeartbeat({
      url: `${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`,
      intervalSeconds: 3_600,
    });
    for (const phone of ka) simulator.setHealth(phone.sid, 'both', 'major_outage');
    await simulator.emitHeartbeatNow({ shape: 'direct' });
    type Incident = { scope: string; advice: { warnings: string[] } };
    const opened = await until(async () =>
      (await api<{ items: Incident[] }>('/incidents?status=open')).body.items.find(
        (i) => i.scope === 'region:KA',
      ),
    );
    const warnings = opened.advice.warnings.join(' | ');
    expect(warnings).toContain(`${ka[0].phoneNumber} is customer-facing`);
    expect(warnings).not.toContain(ka[1].phoneNumber);
  });

  it('refuses an unknown ExoPhone and a bad body, changing nothing', async () => {
    const [target] = inventory();
    await start([]);
    const unknown = await mark('09999999999', { customerFacing: true });
    expect(unknown).toMatchObject({ status: 404, body: { code: 'EXOPHONE_NOT_FOUND' } });
    for (const body of [
      {},
      { customerFacing: 'true' },
      { customerFacing: 1 },
      { customerFacing: true, note: 'x' },
      [],
    ]) {
      const refused = await mark(target.sid, body);
      expect(refused).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
    }
    expect(await phone(target.sid)).toMatchObject({ customerFacing: false, customerFacingMark: null });
    expect(await changes()).toEqual([]);
  });
});
