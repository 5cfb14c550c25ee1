import {
  IncidentAlreadyOpenError,
  IncidentService,
  IncidentStateConflictError,
  MaintenanceWindowsService,
  SupportSlaService,
} from 'nestjs-exotel';
import {
  EventPublisher,
  ExotelDatabase,
  HeartbeatWatch,
  IncidentWatchJob,
  ManualClock,
} from 'nestjs-exotel/internal';
import type { TestingModule } from '@nestjs/testing';
import { compileExotel } from '../support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { IncidentSignalHandlers as IncidentSignalHandlersRef } from '../../libs/exotel/src/incidents/incident-signal.handlers';
import { deliver, HOUR, observe, outbox, PHONES, seedExoPhones } from './incident-fixtures';

const START = new Date('2026-11-23T10:00:00Z');
const ALL: string[] = PHONES.map((p) => p.sid);
const KA: string[] = PHONES.filter((p) => p.region === 'KA').map((p) => p.sid);

// The library on its own (jobs off, ManualClock): signals applied through the real event handlers,
// clocks moved by hand, the watch job run by hand.
describe('incident clocks, maintenance windows and tickets', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let clock: ManualClock;
  let incidents: IncidentService;
  let watch: IncidentWatchJob;

  beforeEach(async () => {
    database = await createTestDatabase();
    clock = new ManualClock(START);
    moduleRef = await compileExotel(database, { support: { openTicketsForIncidents: true } }, [], clock);
    incidents = moduleRef.get(IncidentService);
    watch = moduleRef.get(IncidentWatchJob);
    await seedExoPhones(moduleRef);
  });

  afterEach(async () => {
    await moduleRef.close();
    await database.drop();
  });

  const only = async (scope: string) => {
    const found = (await incidents.list()).filter((i) => i.scope === scope);
    expect(found).toHaveLength(1);
    return incidents.get(found[0].id);
  };

  it('escalates an Exotel-specific unplanned outage once 4 h pass, and signals its RCA due once 72 h after resolution', async () => {
    await observe(moduleRef, ALL, 'major_outage');
    const opened = await only('exotel');
    expect(opened.classification).toMatchObject({ origin: 'exotel', planned: false });
    expect(opened.expectedRestore).toEqual({
      from: new Date(START.getTime() + 2 * HOUR).toISOString(),
      by: new Date(START.getTime() + 4 * HOUR).toISOString(),
    });
    // A severity-1 ticket for the outage (support.openTicketsForIncidents).
    const tickets = await moduleRef.get(SupportSlaService).list({ incidentId: opened.id });
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ severity: 1 });

    clock.set(new Date(START.getTime() + 4 * HOUR - 1));
    expect((await watch.check()).escalated).toBe(0);
    clock.set(new Date(START.getTime() + 4 * HOUR));
    expect((await watch.check()).escalated).toBe(1);
    clock.advance(HOUR);
    expect((await watch.check()).escalated).toBe(0);
    const escalations = (await outbox(moduleRef, 'incident.updated')).filter(
      (e) => e.data.change === 'escalated',
    );
    expect(escalations).toHaveLength(1);
    expect((await incidents.get(opened.id)).escalatedAt).toBe(
      new Date(START.getTime() + 4 * HOUR).toISOString(),
    );

    const resolvedAt = clock.advance(HOUR);
    await observe(moduleRef, ALL, 'active');
    const resolved = await incidents.get(opened.id);
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: resolvedAt.toISOString() });
    expect(resolved.rcaDueAt).toBe(new Date(resolvedAt.getTime() + 72 * HOUR).toISOString());

    clock.set(new Date(resolvedAt.getTime() + 72 * HOUR - 1));
    expect((await watch.check()).rcaDue).toBe(0);
    clock.set(new Date(resolvedAt.getTime() + 72 * HOUR));
    expect((await watch.check()).rcaDue).toBe(1);
    clock.advance(HOUR);
    expect((await watch.check()).rcaDue).toBe(0);
    const due = await outbox(moduleRef, 'incident.rca_due');
    expect(due.map((e) => e.data)).toEqual([{ incidentId: opened.id, rcaDueAt: resolved.rcaDueAt }]);
    // Late, but recorded.
    const withRca = await incidents.recordRca(opened.id, { summary: 'Media server configuration error' });
    expect(withRca.rca).toMatchObject({ summary: 'Media server configuration error', url: null });
    expect(withRca.timeline!.map((t) => t.type)).toEqual(
      expect.arrayContaining(['opened', 'escalated', 'resolved', 'rca_due', 'rca_recorded']),
    );
  });

  it('publishes no rca_due when the RCA is recorded in time, and none at all for operator-related incidents', async () => {
    await observe(moduleRef, ALL, 'major_outage');
    await observe(moduleRef, KA, 'major_outage');
    const exotel = await only('exotel');
    await expect(incidents.recordRca(exotel.id, { summary: 'too early' })).rejects.toBeInstanceOf(
      IncidentStateConflictError,
    );
    await observe(
      moduleRef,
      ALL.filter((sid) => !KA.includes(sid)),
      'active',
    );
    // Every ExoPhone but KA's back: the Exotel-wide incident resolves, KA's opens as the operator's.
    expect((await incidents.get(exotel.id)).status).toBe('resolved');
    const ka = await only('region:KA');
    expect(ka.classification).toMatchObject({ origin: 'operator', planned: false });
    await incidents.recordRca(exotel.id, {
      summary: 'Load balancer failure',
      url: 'https://status.example/rca/1',
    });
    await observe(moduleRef, KA, 'active');
    expect(await incidents.get(ka.id)).toMatchObject({ status: 'resolved', rcaDueAt: null });

    clock.advance(100 * HOUR);
    expect(await watch.check()).toEqual({ escalated: 0, rcaDue: 0, maintenanceEnded: 0 });
    expect(await outbox(moduleRef, 'incident.rca_due')).toHaveLength(0);
    expect(await outbox(moduleRef, 'incident.updated')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ data: expect.objectContaining({ change: 'rca_recorded' }) }),
      ]),
    );
  });

  it('keeps one open incident per scope: repeated signals add to its timeline, opening it again is refused', async () => {
    for (let i = 0; i < 4; i++) {
      await observe(moduleRef, KA, 'major_outage', ['outgoing']);
      await observe(moduleRef, KA, 'partial_network_outage', ['outgoing']);
    }
    const ka = await only('region:KA');
    expect(ka.timeline!.filter((t) => t.type === 'signal' && t.eventId).length).toBeGreaterThanOrEqual(16);
    expect(await outbox(moduleRef, 'incident.opened')).toHaveLength(1);
    await expect(incidents.open({ scope: 'region:ka' })).rejects.toBeInstanceOf(IncidentAlreadyOpenError);
    expect(await incidents.list()).toHaveLength(1);

    // Heartbeats stop: the open incident's timeline says so (and opens nothing more).
    clock.advance(10 * 60_000);
    expect(await moduleRef.get(HeartbeatWatch).check()).toBe(true);
    await deliver(moduleRef);
    const timeline = (await incidents.get(ka.id)).timeline!;
    expect(timeline[timeline.length - 1].detail).toContain('no heartbeat for 600 s');
    expect(await incidents.list()).toHaveLength(1);
  });

  it('opens a degraded-performance incident from Calls latency (severity 2 ticket) and ignores a redelivered event', async () => {
    const db = moduleRef.get(ExotelDatabase);
    const publish = (type: 'call.latency_degraded' | 'call.latency_restored') =>
      db.transaction((manager) =>
        moduleRef.get(EventPublisher).publish(
          manager,
          type === 'call.latency_degraded'
            ? {
                type,
                subject: 'acme-test',
                data: {
                  p50Ms: 900,
                  p95Ms: 4_000,
                  p99Ms: 9_000,
                  thresholds: { p50Ms: 500, p95Ms: 2_000, p99Ms: 5_000 },
                  samples: 200,
                },
              }
            : { type, subject: 'acme-test', data: { p50Ms: 300, p95Ms: 900, p99Ms: 1_500, samples: 200 } },
        ),
      );
    const [degraded] = await publish('call.latency_degraded');
    await deliver(moduleRef);
    const opened = await only('api:latency');
    expect(opened).toMatchObject({
      kind: 'degraded_performance',
      classification: { origin: 'exotel', planned: false },
    });
    expect(opened.classification.evidence[0]).toContain('p95 4000 ms');
    const [ticket] = await moduleRef.get(SupportSlaService).list({ incidentId: opened.id });
    expect(ticket.severity).toBe(2);

    await publish('call.latency_restored');
    await deliver(moduleRef);
    expect((await incidents.get(opened.id)).status).toBe('resolved');
    // The degraded event again (at-least-once delivery): it must not reopen anything.
    await moduleRef.get(IncidentSignalHandlersRef).onLatencyDegraded(degraded as never);
    expect((await incidents.list({ status: 'open' })).length).toBe(0);
  });

  it('runs maintenance windows: started and ended once, planned while inside, unplanned if it overruns', async () => {
    const windows = moduleRef.get(MaintenanceWindowsService);
    const window = await windows.schedule({
      scope: 'region:KA',
      startsAt: new Date(START.getTime() + HOUR),
      endsAt: new Date(START.getTime() + 3 * HOUR),
      source: 'exotel',
    });
    expect(window.state).toBe('upcoming');
    await watch.check();
    expect(await outbox(moduleRef, 'maintenance.started')).toHaveLength(0);

    clock.set(new Date(START.getTime() + HOUR));
    await watch.check();
    await watch.check();
    expect(await outbox(moduleRef, 'maintenance.started')).toHaveLength(1);
    await observe(moduleRef, KA, 'major_outage');
    const planned = await only('region:KA');
    expect(planned.classification).toMatchObject({ origin: 'exotel', planned: true });
    expect(planned.maintenanceWindowId).toBe(window.id);
    expect(planned.expectedRestore.by).toBe(window.endsAt);
    // Planned work: no ticket.
    expect(await moduleRef.get(SupportSlaService).list({ incidentId: planned.id })).toHaveLength(0);

    clock.set(new Date(START.getTime() + 3 * HOUR));
    expect((await watch.check()).maintenanceEnded).toBe(1);
    expect((await watch.check()).maintenanceEnded).toBe(0);
    expect(await outbox(moduleRef, 'maintenance.ended')).toHaveLength(1);
    const overran = await incidents.get(planned.id);
    expect(overran.classification.planned).toBe(false);
    expect(overran.expectedRestore.by).toBe(new Date(START.getTime() + 7 * HOUR).toISOString());
    expect(overran.timeline!.some((t) => t.type === 'reclassified' && t.detail.includes('ended'))).toBe(true);
    expect((await windows.list({ state: 'ended' })).map((w) => w.id)).toEqual([window.id]);
  });
});
