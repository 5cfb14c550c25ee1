import {
  boot,
  clock,
  ist,
  MINUTE,
  moduleRef,
  support,
  types,
  watch,
  useSupportSla,
} from '../../../../test/support/support-sla-harness';
import { incidentOpened } from '../../../../test/support/sample-events';
import { EventPublisher } from '../events/event-publisher';
import { OutboxRelay } from '../events/outbox-relay';
import { ExotelDatabase } from '../persistence/exotel-database';
import { TicketExistsForIncidentError } from './ticket.errors';

describe('SupportSlaService', () => {
  useSupportSla();

  it('pins the policy version in force when an imported ticket opened, and breaches it at once if late', async () => {
    const faster = { acknowledgementMinutes: 15, responseMinutes: 60 };
    await boot({
      plan: 'enterprise',
      policyVersions: [
        {
          id: 'contract-2026',
          effectiveFrom: '2026-11-01T00:00:00+05:30',
          targets: { 1: faster, 2: faster, 3: faster, 4: faster },
        },
      ],
    });
    const before = await support.open({ title: 'Old', severity: 1, openedAt: ist('2026-10-31T23:00') });
    // 15 of its 15 minutes have run: due this very instant, so warned but not yet breached.
    const after = await support.open({ title: 'New', severity: 1, openedAt: ist('2026-11-23T21:35') });
    expect(before).toMatchObject({ policyVersion: 'exotel-v1', sla: { acknowledgementMinutes: 30 } });
    expect(after).toMatchObject({ policyVersion: 'contract-2026', sla: { acknowledgementMinutes: 15 } });
    expect(before.acknowledgement.breached).toBe(true);
    expect(await types()).toEqual([
      'ticket.created',
      'sla.breached',
      'sla.breached',
      'ticket.created',
      'sla.warning',
    ]);
  });

  it('honours a configured warning fraction', async () => {
    await boot({ plan: 'enterprise', warningFraction: 0.5 });
    await support.open({ title: 'x', severity: 1 });
    clock.advance(15 * MINUTE);
    await watch();
    expect(await types()).toEqual(['ticket.created', 'sla.warning']);
  });

  describe('tickets for incidents', () => {
    async function deliver(...events: ReturnType<typeof incidentOpened>[]): Promise<void> {
      const db = moduleRef.get(ExotelDatabase);
      await db.transaction((m) => moduleRef.get(EventPublisher).publish(m, events));
      await moduleRef.get(OutboxRelay).drain();
    }

    it('opens severity 1 for outages and 2 for degraded performance, once per incident', async () => {
      await boot({ plan: 'enterprise', openTicketsForIncidents: true });
      clock.set('2026-11-23T10:05:00Z');
      await deliver(incidentOpened('inc-1', 'outage'), incidentOpened('inc-2', 'degraded_performance'));
      await deliver(incidentOpened('inc-1', 'outage'));
      const tickets = await support.list();
      expect(tickets.map((t) => [t.incidentId, t.severity, t.title]).sort()).toEqual([
        ['inc-1', 1, 'Outage: all ExoPhones (Mumbai)'],
        ['inc-2', 2, 'Degraded performance: all ExoPhones (Mumbai)'],
      ]);
      expect(tickets[0].openedAt).toEqual(new Date('2026-11-23T10:00:00Z'));
      expect(
        (
          await support.openForIncident({
            incidentId: 'inc-1',
            kind: 'outage',
            title: 'again',
            openedAt: clock.now(),
          })
        ).created,
      ).toBe(false);
      await expect(
        support.open({ title: 'dup', incident: { id: 'inc-2', kind: 'degraded_performance' } }),
      ).rejects.toBeInstanceOf(TicketExistsForIncidentError);
      expect(await support.list({ incidentId: 'inc-2' })).toHaveLength(1);
    });

    it('opens none for planned maintenance, nor when switched off', async () => {
      await boot({ plan: 'enterprise', openTicketsForIncidents: true });
      await deliver(incidentOpened('inc-3', 'outage', { planned: true }));
      expect(await support.list()).toEqual([]);
      await moduleRef.close();
      await boot({ plan: 'enterprise' });
      await deliver(incidentOpened('inc-4', 'outage'));
      expect(await support.list()).toEqual([]);
    });
  });
});
