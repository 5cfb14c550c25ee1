import { ExotelClock, ManualClock } from 'nestjs-exotel/internal';
import { DateTime } from 'luxon';
import { startTestService, type TestService } from '../support/test-service';
import { callManagementApi } from '../support/management-api';

const ist = (local: string): string =>
  DateTime.fromISO(local, { zone: 'Asia/Kolkata' }).toUTC().toISO({ suppressMilliseconds: false })!;

describe('tickets API (e2e)', () => {
  let service: TestService;
  const clock = new ManualClock(ist('2026-11-23T21:50'));

  beforeAll(async () => {
    service = await startTestService({
      env: { SUPPORT_PLAN: 'sme' },
      // Jobs off: the SLA watch job must not run on its own timer while the clock is moved by hand.
      overrides: { exotel: { jobs: { enabled: false } } },
      customize: (builder) => builder.overrideProvider(ExotelClock).useValue(clock),
    });
  });

  afterAll(async () => {
    await service.close();
  });

  const call = (method: string, path: string, body?: unknown, auth?: boolean) =>
    callManagementApi(service, method, path, body, auth);

  const count = async () => (await call('GET', '/tickets?limit=200')).body.items.length as number;

  it('opens a ticket and shows both clocks in ISO 8601, in the SME plan’s coverage hours', async () => {
    clock.set(ist('2026-11-23T21:50'));
    const created = await call('POST', '/tickets', { title: 'Calls fail everywhere', severity: 1 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Calls fail everywhere',
      severity: 1,
      plan: 'sme',
      status: 'open',
      policyVersion: 'exotel-v1',
      sla: {
        source: 'policy',
        integration: null,
        acknowledgementMinutes: 30,
        responseMinutes: 120,
        coverage: { kind: 'daily', timeZone: 'Asia/Kolkata', from: '08:00', to: '22:00' },
      },
      openedAt: ist('2026-11-23T21:50'),
      acknowledgement: {
        dueAt: ist('2026-11-24T08:20'),
        metAt: null,
        breached: false,
        remaining: 'PT30M',
        paused: false,
      },
      response: { dueAt: ist('2026-11-24T09:50'), metAt: null, breached: false, remaining: 'PT2H' },
    });
    const fetched = await call('GET', `/tickets/${created.body.id}`);
    expect(fetched).toEqual({ status: 200, body: created.body });
  });

  it('acknowledges, pauses, resumes, responds and resolves, and refuses what the state does not allow', async () => {
    clock.set(ist('2026-11-24T10:00'));
    const { body: ticket } = await call('POST', '/tickets', { title: 'Slow API', severity: 2 });
    const id = ticket.id as string;
    expect(ticket.response.dueAt).toBe(ist('2026-11-24T15:00'));

    clock.set(ist('2026-11-24T10:05'));
    const acknowledged = await call('POST', `/tickets/${id}/acknowledge`);
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.acknowledgement).toMatchObject({
      metAt: ist('2026-11-24T10:05'),
      breached: false,
    });

    clock.set(ist('2026-11-24T11:00'));
    const paused = await call('POST', `/tickets/${id}/pause`);
    expect(paused.body).toMatchObject({
      status: 'waiting_on_customer',
      response: { dueAt: null, paused: true },
    });
    expect((await call('POST', `/tickets/${id}/pause`)).body.code).toBe('TICKET_STATE_CONFLICT');

    clock.set(ist('2026-11-24T12:00'));
    const resumed = await call('POST', `/tickets/${id}/resume`);
    expect(resumed.body).toMatchObject({
      status: 'open',
      response: { dueAt: ist('2026-11-24T16:00'), paused: false },
    });

    clock.set(ist('2026-11-24T13:00'));
    const responded = await call('POST', `/tickets/${id}/respond`);
    expect(responded.body.response).toMatchObject({ metAt: ist('2026-11-24T13:00'), remaining: 'PT3H' });

    const resolved = await call('POST', `/tickets/${id}/resolve`);
    expect(resolved.body).toMatchObject({ status: 'resolved', resolvedAt: ist('2026-11-24T13:00') });

    for (const action of ['acknowledge', 'respond', 'pause', 'resume', 'resolve']) {
      const refused = await call('POST', `/tickets/${id}/${action}`);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        code: 'TICKET_STATE_CONFLICT',
        message: expect.stringContaining('resolved'),
        requestId: expect.any(String),
      });
    }
    expect((await call('GET', `/tickets/${id}`)).body).toEqual(resolved.body);
    const list = await call('GET', '/tickets?status=resolved');
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
  });

  it('derives the severity from an incident, and opens one ticket per incident', async () => {
    const first = await call('POST', '/tickets', {
      title: 'API p99 above 2.5 s',
      incident: { id: 'inc-42', kind: 'degraded_performance' },
      plan: 'enterprise',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ severity: 2, plan: 'enterprise', incidentId: 'inc-42' });
    const again = await call('POST', '/tickets', {
      title: 'again',
      incident: { id: 'inc-42', kind: 'outage' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'TICKET_EXISTS_FOR_INCIDENT',
      details: { ticketId: first.body.id },
    });
  });

  it('imports a ticket with its own openedAt and a third-party SLA', async () => {
    clock.set(ist('2026-11-25T12:00'));
    const imported = await call('POST', '/tickets', {
      title: 'CRM sync',
      severity: 4,
      openedAt: '2026-11-25T04:30:00+05:30',
      thirdPartySla: { integration: 'crm-connector', acknowledgementMinutes: 60, responseMinutes: 600 },
    });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      openedAt: ist('2026-11-25T04:30'),
      sla: { source: 'third_party', integration: 'crm-connector' },
      acknowledgement: { dueAt: ist('2026-11-25T09:00'), breached: true, remaining: 'PT0S' },
      response: { dueAt: ist('2026-11-25T18:00'), breached: false, remaining: 'PT6H' },
    });
  });

  it("opens a ticket stamped a little ahead of now (the sender's clock) at now", async () => {
    clock.set(ist('2026-11-26T12:00'));
    const ahead = await call('POST', '/tickets', {
      title: 'Clock ahead',
      severity: 4,
      openedAt: '2026-11-26T12:04:59+05:30',
    });
    expect(ahead.status).toBe(201);
    expect(ahead.body.openedAt).toBe(ist('2026-11-26T12:00'));
  });

  it('answers each bad field with 400 VALIDATION_FAILED naming it, and creates nothing', async () => {
    clock.set(ist('2026-11-26T12:00'));
    const before = await count();
    const good = { title: 'Valid', severity: 3 };
    const cases: [Record<string, unknown>, string][] = [
      [{ severity: 3 }, 'title'],
      [{ ...good, title: '   ' }, 'title'],
      [{ ...good, title: 'x'.repeat(201) }, 'title'],
      [{ ...good, severity: 0 }, 'severity'],
      [{ ...good, severity: 5 }, 'severity'],
      [{ ...good, severity: '2' }, 'severity'],
      [{ ...good, severity: 1.5 }, 'severity'],
      [{ title: 'No severity' }, 'severity'],
      [{ ...good, plan: 'gold' }, 'plan'],
      [{ ...good, openedAt: 'yesterday' }, 'openedAt'],
      [{ ...good, openedAt: '2026-11-26T10:00:00' }, 'openedAt'],
      // Past the 5 minutes' clock skew allowed; a year and a day ago; 1970 (what a null once read as).
      [{ ...good, openedAt: '2026-11-26T12:05:01+05:30' }, 'openedAt'],
      [{ ...good, openedAt: '2025-11-24T12:00:00+05:30' }, 'openedAt'],
      [{ ...good, openedAt: null }, 'openedAt'],
      [{ ...good, openedAt: '1970-01-01T00:00:00Z' }, 'openedAt'],
      [{ ...good, openedAt: '2026-02-30T10:00:00+05:30' }, 'openedAt'],
      [{ ...good, openedAt: '-271821-04-20T00:00:00Z' }, 'openedAt'],
      [{ ...good, incident: { id: 'inc-1', kind: 'meltdown' } }, 'incident.kind'],
      [{ ...good, incident: 'inc-1' }, 'incident'],
      [
        { ...good, thirdPartySla: { integration: 'x', acknowledgementMinutes: 10, responseMinutes: 0 } },
        'thirdPartySla.responseMinutes',
      ],
      [{ ...good, priority: 'high' }, 'priority'],
    ];
    for (const [body, field] of cases) {
      const answer = await call('POST', '/tickets', body);
      expect({ field, status: answer.status, code: answer.body.code }).toEqual({
        field,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(answer.body.details.violations.map((v: { field: string }) => v.field)).toContain(field);
    }
    expect((await call('GET', '/tickets?severity=9')).body.code).toBe('VALIDATION_FAILED');
    expect((await call('GET', '/tickets?status=closed')).body.code).toBe('VALIDATION_FAILED');
    expect(await count()).toBe(before);
  });

  it('answers 404 for an unknown ticket and 401 without the API key', async () => {
    for (const [method, path] of [
      ['GET', '/tickets/01JUNKNOWN0000000000000000'],
      ['POST', '/tickets/01JUNKNOWN0000000000000000/acknowledge'],
    ]) {
      const missing = await call(method, path);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ code: 'TICKET_NOT_FOUND', details: { resource: 'Ticket' } });
    }
    const before = await count();
    const anonymous = await call('POST', '/tickets', { title: 'x', severity: 1 }, false);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    expect((await call('GET', '/tickets', undefined, false)).status).toBe(401);
    expect(await count()).toBe(before);
  });

  it('documents the routes in OpenAPI', async () => {
    const document = (await (await fetch(`${service.url}/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/tickets',
        '/tickets/{id}',
        '/tickets/{id}/acknowledge',
        '/tickets/{id}/respond',
        '/tickets/{id}/pause',
        '/tickets/{id}/resume',
        '/tickets/{id}/resolve',
      ]),
    );
  });
});
