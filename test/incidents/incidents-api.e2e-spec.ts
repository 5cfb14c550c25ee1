import { ExotelSimulator } from 'exotel-simulator';
import { startTestService, type TestService } from '../support/test-service';
import { HOUR, outbox, until } from './incident-fixtures';
import { callManagementApi } from '../support/management-api';

// The management API over HTTP: what it answers, and that a refused request changes nothing.
describe('incidents and maintenance windows API (e2e)', () => {
  let service: TestService;

  beforeAll(async () => {
    const simulator = new ExotelSimulator({});
    service = await startTestService({ simulator });
    await until(async () => (await call('GET', '/exophones')).body.total === simulator.exoPhones().length);
  });

  afterAll(async () => {
    await service.close();
  });

  const call = (method: string, path: string, body?: unknown, auth?: boolean) =>
    callManagementApi(service, method, path, body, auth);

  const later = (ms: number) => new Date(Date.now() + ms).toISOString();

  it('refuses calls without the API key', async () => {
    expect((await call('GET', '/incidents', undefined, false)).status).toBe(401);
    expect((await call('POST', '/maintenance-windows', {}, false)).status).toBe(401);
  });

  it('refuses bad maintenance windows with stable codes and records none of them', async () => {
    const valid = { scope: 'region:KA', startsAt: later(HOUR), endsAt: later(2 * HOUR), source: 'operator' };
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ ...valid, endsAt: later(HOUR / 2) }, 400, 'VALIDATION_FAILED', 'endsAt'],
      [
        { ...valid, startsAt: later(-3 * HOUR), endsAt: later(-2 * HOUR) },
        400,
        'VALIDATION_FAILED',
        'endsAt',
      ],
      [{ ...valid, startsAt: '2026-11-24T01:00:00' }, 400, 'VALIDATION_FAILED', 'startsAt'],
      [{ ...valid, source: 'vendor' }, 400, 'VALIDATION_FAILED', 'source'],
      [{ ...valid, scope: 'everything' }, 400, 'VALIDATION_FAILED', 'scope'],
      [{ ...valid, extra: true }, 400, 'VALIDATION_FAILED', 'extra'],
      [{ ...valid, scope: 'region:ZZ' }, 422, 'UNKNOWN_SCOPE'],
      [{ ...valid, scope: 'exophone:00000000000' }, 422, 'UNKNOWN_SCOPE'],
    ];
    for (const [body, status, code, field] of cases) {
      const answer = await call('POST', '/maintenance-windows', body);
      expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
      if (field) expect(JSON.stringify(answer.body)).toContain(field);
    }
    expect((await call('GET', '/maintenance-windows')).body.items).toHaveLength(0);
    expect(await outbox(service.app, 'maintenance.scheduled')).toHaveLength(0);

    const created = await call('POST', '/maintenance-windows', { ...valid, scope: 'region:ka' });
    expect(created).toMatchObject({
      status: 201,
      body: { scope: 'region:KA', state: 'upcoming', source: 'operator' },
    });
    expect((await call('GET', '/maintenance-windows?state=upcoming')).body.items).toHaveLength(1);
    expect((await call('GET', '/maintenance-windows?state=active')).body.items).toHaveLength(0);
    expect((await call('GET', '/maintenance-windows?state=soon')).status).toBe(400);
  });

  it('opens, annotates, reclassifies, resolves and records the RCA of an incident by hand, refusing what its state does not allow', async () => {
    expect((await call('POST', '/incidents', { scope: 'region:ZZ' })).body.code).toBe('UNKNOWN_SCOPE');
    expect((await call('POST', '/incidents', { scope: 'region:DL', kind: 'meltdown' })).status).toBe(400);
    expect((await call('GET', '/incidents')).body.items).toHaveLength(0);

    const opened = await call('POST', '/incidents', {
      scope: 'region:DL',
      note: 'customers report silence on DL numbers',
    });
    expect(opened).toMatchObject({
      status: 201,
      body: {
        scope: 'region:DL',
        kind: 'outage',
        status: 'open',
        openedBy: 'manual',
        classification: { origin: 'operator', planned: false },
        expectedRestore: { from: null, by: null },
      },
    });
    const id = opened.body.id as string;
    const again = await call('POST', '/incidents', { scope: 'region:dl' });
    expect(again).toMatchObject({ status: 409, body: { code: 'INCIDENT_ALREADY_OPEN' } });
    expect(again.body.message).toContain(id);
    expect((await call('GET', '/incidents/01J00000000000000000000000')).body.code).toBe('INCIDENT_NOT_FOUND');

    expect((await call('POST', `/incidents/${id}/notes`, { text: '   ' })).status).toBe(400);
    expect(
      (await call('POST', `/incidents/${id}/notes`, { text: 'operator confirms a fibre cut' })).status,
    ).toBe(201);

    expect((await call('POST', `/incidents/${id}/reclassify`, { reason: 'no axis given' })).status).toBe(400);
    const reclassified = await call('POST', `/incidents/${id}/reclassify`, {
      origin: 'exotel',
      reason: 'Exotel confirmed a media server fault',
    });
    expect(reclassified).toMatchObject({
      status: 200,
      body: { classification: { origin: 'exotel', planned: false, by: 'manual' } },
    });
    expect(Date.parse(reclassified.body.expectedRestore.by) - Date.parse(reclassified.body.openedAt)).toBe(
      4 * HOUR,
    );
    const same = await call('POST', `/incidents/${id}/reclassify`, { origin: 'exotel', reason: 'again' });
    expect(same).toMatchObject({ status: 409, body: { code: 'INCIDENT_STATE_CONFLICT' } });

    expect((await call('POST', `/incidents/${id}/rca`, { summary: 'early' })).status).toBe(409);
    const resolved = await call('POST', `/incidents/${id}/resolve`, { note: 'calls complete again' });
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved', resolvedBy: 'manual' } });
    expect(Date.parse(resolved.body.rcaDueAt) - Date.parse(resolved.body.resolvedAt)).toBe(72 * HOUR);
    expect((await call('POST', `/incidents/${id}/resolve`, {})).status).toBe(409);
    expect((await call('POST', `/incidents/${id}/rca`, { summary: 'x', url: 'not a url' })).status).toBe(400);
    const rca = await call('POST', `/incidents/${id}/rca`, {
      summary: 'Media server misconfiguration',
      url: 'https://example.com/rca',
    });
    expect(rca).toMatchObject({
      status: 201,
      body: { rca: { summary: 'Media server misconfiguration', url: 'https://example.com/rca' } },
    });
    expect((await call('POST', `/incidents/${id}/rca`, { summary: 'twice' })).status).toBe(409);

    const fetched = await call('GET', `/incidents/${id}`);
    expect(fetched.body.timeline.map((t: { type: string }) => t.type)).toEqual([
      'opened',
      'note',
      'reclassified',
      'resolved',
      'rca_recorded',
    ]);
    expect(fetched.body.timeline[2].detail).toContain('from operator unplanned to exotel unplanned');
    expect(
      (await call('GET', '/incidents?status=resolved')).body.items.map((i: { id: string }) => i.id),
    ).toEqual([id]);
    expect((await call('GET', '/incidents?status=open')).body.items).toHaveLength(0);
    const updates = (await outbox(service.app, 'incident.updated')).map((e) => e.data.change);
    expect(updates).toEqual(['note', 'reclassified', 'rca_recorded']);
  });
});
