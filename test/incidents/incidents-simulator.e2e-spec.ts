import { type IncidentView } from 'nestjs-exotel';
import { ExotelDatabase, OutboxEventEntity } from 'nestjs-exotel/internal';
import { ExotelSimulator } from 'exotel-simulator';
import { startTestService, TEST_WEBHOOK_SECRET, type TestService } from '../support/test-service';
import { HOUR, until } from './incident-fixtures';

// The service against the simulator: heartbeats from its emitter, API failures from its fault
// injection, incidents read back over the management API. Default inventory: two ExoPhones in
// each of DL, KA, MH and TN.
describe('incidents from simulated outages (e2e)', () => {
  let service: TestService;
  let simulator: ExotelSimulator;

  const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${service.url}${path}`, {
      ...init,
      headers: { ...service.auth, 'Content-Type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  const incidents = async (query = ''): Promise<IncidentView[]> =>
    (await api<{ items: IncidentView[] }>(`/incidents${query}`)).body.items;
  const incident = async (id: string): Promise<IncidentView> =>
    (await api<IncidentView>(`/incidents/${id}`)).body;
  const events = async (type: string) =>
    service.app
      .get(ExotelDatabase)
      .read((m) => m.find(OutboxEventEntity, { where: { type }, order: { position: 'ASC' } }));

  beforeEach(async () => {
    simulator = new ExotelSimulator({});
    service = await startTestService({
      simulator,
      overrides: {
        exotel: {
          heartbeat: { frequencySeconds: 3_600, sweepTickMs: 100 },
          retry: { maxRetries: 0 },
          incidents: { api: { failureThreshold: 3 } },
          exophones: { customerFacing: ['+918047491899'] },
        },
      },
    });
    simulator.setHeartbeat({
      url: `${service.url}/exotel/heartbeat?key=${TEST_WEBHOOK_SECRET}`,
      intervalSeconds: 3_600,
    });
    await until(async () => {
      const list = await api<{ total: number }>('/exophones');
      return list.body.total === simulator.exoPhones().length;
    });
    await simulator.emitHeartbeatNow();
  });

  afterEach(async () => {
    simulator.setHeartbeat(undefined);
    await service.close();
  });

  const inRegion = (region: string) => simulator.exoPhones().filter((e) => e.region === region);

  it('opens one operator-related unplanned incident for one region, however often heartbeats repeat it', async () => {
    const ka = inRegion('KA');
    for (const phone of ka) simulator.setHealth(phone.sid, 'both', 'major_outage');
    await simulator.emitHeartbeatNow({ shape: 'direct' });
    const opened = await until(async () =>
      (await incidents('?status=open')).find((i) => i.scope === 'region:KA'),
    );
    expect(opened.classification).toMatchObject({ origin: 'operator', planned: false, by: 'signals' });
    expect(opened.classification.evidence.join(' ')).toContain('2 of 2 ExoPhones in region KA affected');
    expect(opened.expectedRestore).toEqual({ from: null, by: null });
    expect(opened.affectedTotal).toBe(4);
    expect(opened.affected.map((a) => `${a.exoPhoneSid}/${a.direction}`).sort()).toEqual(
      ka.flatMap((p) => [`${p.sid}/incoming`, `${p.sid}/outgoing`]).sort(),
    );
    // Advice: another region's ExoPhone, and the customer-facing KA number cannot be failed over.
    expect(opened.advice.alternates.length).toBeGreaterThan(0);
    const others = simulator
      .exoPhones()
      .filter((e) => e.region !== 'KA')
      .map((e) => e.sid);
    expect(opened.advice.alternates.every((sid) => others.includes(sid))).toBe(true);
    expect(opened.advice.warnings.join(' ')).toContain('+918047491899 is customer-facing');

    // The same outage in three more heartbeats: still one incident.
    for (let i = 0; i < 3; i++) await simulator.emitHeartbeatNow({ shape: 'direct' });
    simulator.setHealth(ka[0].sid, 'incoming', 'partial_network_outage');
    await simulator.emitHeartbeatNow({ shape: 'direct' });
    await until(async () =>
      (await incident(opened.id)).timeline!.some((t) =>
        t.detail.includes('major_outage -> partial_network_outage'),
      ),
    );
    expect(await incidents()).toHaveLength(1);
    expect(await events('incident.opened')).toHaveLength(1);

    for (const phone of ka) simulator.setHealth(phone.sid, 'both', 'active');
    await simulator.emitHeartbeatNow();
    const resolved = await until(async () => {
      const found = await incident(opened.id);
      return found.status === 'resolved' && found;
    });
    expect(resolved).toMatchObject({ resolvedBy: 'signals', rcaDueAt: null });
    const types = resolved.timeline!.map((t) => t.type);
    expect(types[0]).toBe('opened');
    expect(types).toContain('signal');
    expect(types[types.length - 1]).toBe('resolved');
    expect(await events('incident.resolved')).toHaveLength(1);
  });

  it('opens an Exotel-specific incident when every ExoPhone is down and the API fails, and sets rcaDueAt on restoration', async () => {
    for (const phone of simulator.exoPhones()) simulator.setHealth(phone.sid, 'both', 'major_outage');
    await simulator.emitHeartbeatNow({ shape: 'direct' });
    simulator.injectFaults({ fault: { status: 503 }, endpoints: 'all', rate: 1 });
    for (let i = 0; i < 3; i++) {
      const refresh = await fetch(`${service.url}/exophones/refresh`, {
        method: 'POST',
        headers: service.auth,
      });
      expect(refresh.status).toBeGreaterThanOrEqual(500);
    }
    const opened = await until(async () => {
      const found = (await incidents('?status=open')).find((i) => i.scope === 'exotel');
      // Both signals, in whichever order they landed (the heartbeat is applied after its 200).
      return found?.conditions.api?.active && found.conditions.exophones?.active && found;
    });
    expect(opened.classification).toMatchObject({ origin: 'exotel', planned: false });
    const evidence = opened.classification.evidence.join(' | ');
    expect(evidence).toContain('every ExoPhone is affected: 8 of 8, in 4 regions');
    expect(evidence).toContain('Exotel API failing');
    expect(opened.affectedTotal).toBe(16);
    expect(Date.parse(opened.expectedRestore.by!) - Date.parse(opened.openedAt)).toBe(4 * HOUR);
    expect(Date.parse(opened.expectedRestore.from!) - Date.parse(opened.openedAt)).toBe(2 * HOUR);
    // Every ExoPhone down: one Exotel-specific incident, no region incidents besides it.
    expect((await incidents()).map((i) => i.scope)).toEqual(['exotel']);

    simulator.clearFaults();
    for (const phone of simulator.exoPhones()) simulator.setHealth(phone.sid, 'both', 'active');
    await simulator.emitHeartbeatNow();
    await until(async () => (await incident(opened.id)).conditions.exophones?.active === false);
    expect((await incident(opened.id)).status).toBe('open'); // the API still counts as failing
    for (let i = 0; i < 3; i++) {
      const refresh = await fetch(`${service.url}/exophones/refresh`, {
        method: 'POST',
        headers: service.auth,
      });
      expect(refresh.status).toBe(200);
    }
    const resolved = await until(async () => {
      const found = await incident(opened.id);
      return found.status === 'resolved' && found;
    });
    expect(Date.parse(resolved.rcaDueAt!) - Date.parse(resolved.resolvedAt!)).toBe(72 * HOUR);
    const [event] = await events('incident.resolved');
    expect(event.data).toMatchObject({
      incidentId: opened.id,
      rcaDueAt: resolved.rcaDueAt,
      resolvedBy: 'signals',
    });
  });

  it('opens the incident from a sweep of the details API when the heartbeat is too large', async () => {
    const tn = inRegion('TN');
    for (const phone of tn) simulator.setHealth(phone.sid, 'incoming', 'major_outage');
    simulator.scriptPayloadTooLarge(1);
    expect((await simulator.emitHeartbeatNow()).payload).toMatchObject({ status_type: 'PAYLOAD_TOO_LARGE' });
    const opened = await until(async () => {
      const found = (await incidents('?status=open')).find((i) => i.scope === 'region:TN');
      return found?.affectedTotal === tn.length && found;
    });
    expect(opened.classification).toMatchObject({ origin: 'operator', planned: false });
    const timeline = (await incident(opened.id)).timeline!;
    expect(timeline.some((t) => t.type === 'signal' && t.detail.endsWith('(sweep)'))).toBe(true);
    expect(await incidents()).toHaveLength(1);
  });

  it('opens a planned incident inside a declared maintenance window', async () => {
    const now = Date.now();
    const window = await api<{ id: string; state: string }>('/maintenance-windows', {
      method: 'POST',
      body: JSON.stringify({
        scope: 'region:mh',
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + HOUR).toISOString(),
        source: 'operator',
        description: 'fibre maintenance',
      }),
    });
    expect(window.status).toBe(201);
    expect(window.body.state).toBe('active');
    for (const phone of inRegion('MH')) simulator.setHealth(phone.sid, 'outgoing', 'major_outage');
    await simulator.emitHeartbeatNow({ shape: 'direct' });
    const opened = await until(async () =>
      (await incidents('?status=open')).find((i) => i.scope === 'region:MH'),
    );
    expect(opened.classification).toMatchObject({ origin: 'operator', planned: true });
    expect(opened.maintenanceWindowId).toBe(window.body.id);
    expect(opened.expectedRestore.by).toBe(new Date(now + HOUR).toISOString());
    const [openedEvent] = await events('incident.opened');
    expect(openedEvent.data).toMatchObject({ classification: { planned: true } });
    expect(await events('maintenance.scheduled')).toHaveLength(1);

    for (const phone of inRegion('MH')) simulator.setHealth(phone.sid, 'outgoing', 'active');
    await simulator.emitHeartbeatNow();
    const resolved = await until(async () => {
      const found = await incident(opened.id);
      return found.status === 'resolved' && found;
    });
    expect(resolved.rcaDueAt).toBeNull();
  });
});
