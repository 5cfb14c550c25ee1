import {
  boot,
  clock,
  ist,
  MINUTE,
  moduleRef,
  published,
  support,
  types,
  watch,
  useSupportSla,
} from '../../../../test/support/support-sla-harness';
import { ValidationFailedError } from '../errors/http-request.errors';
import { ExotelDatabase } from '../persistence/exotel-database';
import { EXOTEL_SUPPORT_POLICY_V1 } from './sla-policy';
import { TicketNotFoundError, TicketStateConflictError } from './ticket.errors';
import { TicketEntity } from './ticket.entity';

describe('SupportSlaService', () => {
  useSupportSla();

  describe('with the SME plan', () => {
    beforeEach(async () => {
      await boot({ plan: 'sme' });
    });

    it('opens a ticket with clocks in coverage time and publishes ticket.created', async () => {
      const ticket = await support.open({ title: 'Calls fail', severity: 1 });
      expect(ticket).toMatchObject({
        severity: 1,
        plan: 'sme',
        status: 'open',
        policyVersion: 'exotel-v1',
        sla: { source: 'policy', acknowledgementMinutes: 30, responseMinutes: 120 },
        acknowledgement: {
          dueAt: ist('2026-11-24T08:20'),
          metAt: null,
          breached: false,
          remainingMs: 30 * MINUTE,
        },
        response: { dueAt: ist('2026-11-24T09:50'), breached: false, paused: false },
      });
      expect(await published()).toEqual([
        {
          type: 'ticket.created',
          subject: ticket.id,
          data: {
            ticketId: ticket.id,
            title: 'Calls fail',
            severity: 1,
            plan: 'sme',
            policyVersion: 'exotel-v1',
            openedAt: ist('2026-11-23T21:50').toISOString(),
            acknowledgementDueAt: ist('2026-11-24T08:20').toISOString(),
            responseDueAt: ist('2026-11-24T09:50').toISOString(),
            incidentId: null,
          },
        },
      ]);
      expect(await support.get(ticket.id)).toEqual(ticket);
    });

    it('pauses the response clock only, and a pause of 1 h moves the response deadline by 1 h', async () => {
      clock.set(ist('2026-11-24T10:00'));
      const { id } = await support.open({ title: 'Slow API', severity: 2 });
      clock.set(ist('2026-11-24T11:00'));
      const paused = await support.pause(id);
      expect(paused.status).toBe('waiting_on_customer');
      expect(paused.response).toMatchObject({ dueAt: null, paused: true, remainingMs: 4 * 60 * MINUTE });
      expect(paused.acknowledgement).toMatchObject({ dueAt: ist('2026-11-24T10:30'), paused: false });
      clock.set(ist('2026-11-24T12:00'));
      const resumed = await support.resume(id);
      expect(resumed.status).toBe('open');
      expect(resumed.response.dueAt).toEqual(ist('2026-11-24T16:00'));
      expect(resumed.pauses).toEqual([
        { pausedAt: ist('2026-11-24T11:00'), resumedAt: ist('2026-11-24T12:00') },
      ]);
    });

    it('walks acknowledge, respond and resolve, refusing what the state does not allow', async () => {
      const { id } = await support.open({ title: 'Recording missing', severity: 3 });
      clock.set(ist('2026-11-24T08:10'));
      const acknowledged = await support.acknowledge(id);
      expect(acknowledged.acknowledgement).toMatchObject({
        metAt: ist('2026-11-24T08:10'),
        breached: false,
        remainingMs: 10 * MINUTE,
      });
      await expect(support.acknowledge(id)).rejects.toBeInstanceOf(TicketStateConflictError);
      await expect(support.resume(id)).rejects.toBeInstanceOf(TicketStateConflictError);
      await support.pause(id);
      await expect(support.pause(id)).rejects.toBeInstanceOf(TicketStateConflictError);
      clock.set(ist('2026-11-24T09:00'));
      const responded = await support.respond(id);
      expect(responded).toMatchObject({
        status: 'open',
        response: { metAt: ist('2026-11-24T09:00'), paused: false },
      });
      expect(responded.pauses[0].resumedAt).toEqual(ist('2026-11-24T09:00'));
      await expect(support.pause(id)).rejects.toBeInstanceOf(TicketStateConflictError);
      const resolved = await support.resolve(id);
      expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: ist('2026-11-24T09:00') });
      for (const action of ['acknowledge', 'respond', 'pause', 'resume', 'resolve'] as const) {
        await expect(support[action](id)).rejects.toMatchObject({
          code: 'TICKET_STATE_CONFLICT',
          httpStatus: 409,
        });
      }
      expect(await types()).toEqual(['ticket.created', 'ticket.resolved']);
      expect((await published())[1].data).toEqual({
        ticketId: id,
        resolvedAt: ist('2026-11-24T09:00').toISOString(),
        acknowledgementMet: true,
        responseMet: true,
      });
      await expect(support.get('nope')).rejects.toBeInstanceOf(TicketNotFoundError);
      await expect(support.acknowledge('nope')).rejects.toMatchObject({
        code: 'TICKET_NOT_FOUND',
        httpStatus: 404,
      });
    });

    it('publishes a warning at 75 % and a breach past due, once each, from the watch job', async () => {
      const { id } = await support.open({ title: 'Calls fail', severity: 1 });
      // Acknowledgement: 10 min ran before 22:00; 75 % of 30 min is reached at 08:12:30.
      clock.set(ist('2026-11-24T08:12'));
      await watch();
      expect(await types()).toEqual(['ticket.created']);
      clock.set(ist('2026-11-24T08:12:30'));
      await watch();
      await watch();
      expect(await types()).toEqual(['ticket.created', 'sla.warning']);
      expect((await published())[1]).toEqual({
        type: 'sla.warning',
        subject: id,
        data: {
          ticketId: id,
          metric: 'acknowledgement',
          cycle: 1,
          dueAt: ist('2026-11-24T08:20').toISOString(),
          elapsedFraction: 0.75,
        },
      });
      clock.set(ist('2026-11-24T08:20'));
      await watch();
      expect(await types()).toHaveLength(2);
      clock.set(ist('2026-11-24T08:20:01'));
      await watch();
      await watch();
      expect((await published()).slice(2)).toEqual([
        {
          type: 'sla.breached',
          subject: id,
          data: {
            ticketId: id,
            metric: 'acknowledgement',
            cycle: 1,
            dueAt: ist('2026-11-24T08:20').toISOString(),
            breachedAt: ist('2026-11-24T08:20:01').toISOString(),
          },
        },
      ]);
      // The ticket says so too, and acknowledging late does not publish the breach again.
      const late = await support.acknowledge(id);
      expect(late.acknowledgement).toMatchObject({ breached: true, remainingMs: 0 });
      clock.set(ist('2026-11-24T09:20'));
      await watch();
      expect(await types()).toEqual([
        'ticket.created',
        'sla.warning',
        'sla.breached',
        'sla.warning', // response: 75 % of 2 h reached at 09:20
      ]);
      const resolved = await support.resolve(id);
      expect(resolved.response.breached).toBe(false);
      expect((await published()).at(-1)?.data).toMatchObject({
        acknowledgementMet: false,
        responseMet: true,
      });
    });

    it('never breaches a paused response clock, and breaches a metric met late at once', async () => {
      clock.set(ist('2026-11-24T10:00'));
      const { id } = await support.open({ title: 'Slow API', severity: 2 });
      await support.acknowledge(id);
      clock.set(ist('2026-11-24T10:30'));
      await support.pause(id);
      clock.set(ist('2026-11-26T10:00'));
      await watch();
      expect(await types()).toEqual(['ticket.created']);
      await support.resume(id);
      // 30 min ran before the pause; 4 h 30 min are left, so 14:30 is due. Respond late without the job.
      clock.set(ist('2026-11-26T14:31'));
      const responded = await support.respond(id);
      expect(responded.response).toMatchObject({ dueAt: ist('2026-11-26T14:30'), breached: true });
      expect(await types()).toEqual(['ticket.created', 'sla.breached']);
      await watch();
      expect(await types()).toEqual(['ticket.created', 'sla.breached']);
    });

    it('refuses an openedAt outside the window (past the clock skew, older than the maximum age, invalid) and a missing severity, and changes nothing', async () => {
      const now = clock.now().getTime();
      for (const openedAt of [now + 5 * 60_000 + 1, now - 366 * 24 * 3_600_000 - 1, 0, NaN]) {
        await expect(
          support.open({ title: 'x', severity: 1, openedAt: new Date(openedAt) }),
        ).rejects.toBeInstanceOf(ValidationFailedError);
      }
      await expect(support.open({ title: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await moduleRef.get(ExotelDatabase).read((m) => m.count(TicketEntity))).toBe(0);
      expect(await types()).toEqual([]);
    });

    it('applies a third-party SLA in the plan’s coverage hours', async () => {
      const ticket = await support.open({
        title: 'WhatsApp template stuck',
        severity: 3,
        thirdPartySla: { integration: 'whatsapp-bsp', acknowledgementMinutes: 60, responseMinutes: 48 * 60 },
      });
      expect(ticket.sla).toEqual({
        source: 'third_party',
        integration: 'whatsapp-bsp',
        acknowledgementMinutes: 60,
        responseMinutes: 2880,
        coverage: EXOTEL_SUPPORT_POLICY_V1.coverage.sme,
      });
      expect(ticket.acknowledgement.dueAt).toEqual(ist('2026-11-24T08:50'));
    });
  });
});
