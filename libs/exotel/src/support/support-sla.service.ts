import { Injectable } from '@nestjs/common';
import type { EntityManager, FindOptionsWhere } from 'typeorm';
import { ValidationFailedError } from '../errors/http-request.errors';
import { EventPublisher } from '../events/event-publisher';
import { ExotelClock } from '../jobs/exotel-clock';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { isUniqueViolation } from '../persistence/unique-violation';
import { SlaPolicyCatalogue, type SupportPlan, type TicketSeverity } from './sla-policy';
import { SlaSignals } from './sla-signals';
import { toSupportTicket, type SupportTicket, type TicketStatus } from './support-ticket';
import {
  TicketExistsForIncidentError,
  TicketNotFoundError,
  TicketStateConflictError,
  type TicketAction,
} from './ticket.errors';
import { lockTicket, pausesByTicket } from './ticket-records';
import { TicketPauseEntity } from './ticket-pause.entity';
import { TicketEntity } from './ticket.entity';
import { ulidFactory } from '../persistence/ulid-factory';

/** The shape of an incident, as far as the support SLA cares. */
export type IncidentKind = 'outage' | 'degraded_performance';

/**
 * Severity of a ticket for an incident, after Exotel's Table A: an outage (calls cannot be
 * completed, server inaccessible, operator downtime) is severity 1; degraded performance (API
 * slow, responses late) is severity 2.
 */
export function severityForIncident(kind: IncidentKind): TicketSeverity {
  return kind === 'outage' ? 1 : 2;
}

/** An integration's own SLA, which replaces Exotel's targets for one ticket. */
export interface ThirdPartySla {
  /** The integration, e.g. `whatsapp-bsp`. */
  readonly integration: string;
  readonly acknowledgementMinutes: number;
  readonly responseMinutes: number;
}

/** What opens a ticket. */
export interface OpenTicketInput {
  readonly title: string;
  /** 1-4; when absent, derived from `incident.kind`. */
  readonly severity?: TicketSeverity;
  /** The incident the ticket is about; one ticket per incident. */
  readonly incident?: { readonly id: string; readonly kind: IncidentKind };
  /** @default the `support.plan` option */
  readonly plan?: SupportPlan;
  /** When the ticket really opened, for tickets imported from elsewhere; not in the future. @default now */
  readonly openedAt?: Date;
  /** Replaces the policy's targets (coverage stays the plan's). */
  readonly thirdPartySla?: ThirdPartySla;
}

/** What `openForIncident` needs; the incidents capability calls it. */
export interface IncidentTicketInput {
  readonly incidentId: string;
  readonly kind: IncidentKind;
  readonly title: string;
  readonly openedAt: Date;
}

/** Filters of `SupportSlaService.list`. */
export interface TicketListFilter {
  readonly status?: TicketStatus;
  readonly severity?: TicketSeverity;
  readonly incidentId?: string;
  /** Newest first, at most this many. @default 50 */
  readonly limit?: number;
}

/**
 * Support tickets measured against Exotel's support SLA: acknowledgement and response clocks that
 * run in the plan's coverage hours, with the response clock paused while waiting on the customer.
 * Every change is one transaction that also appends its events (`ticket.created`,
 * `ticket.resolved`, and `sla.breached` when a metric is met late); warnings and breaches of
 * running clocks come from the SLA watch job.
 */
@Injectable()
export class SupportSlaService {
  private readonly nextId = ulidFactory();

  constructor(
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly policies: SlaPolicyCatalogue,
    private readonly signals: SlaSignals,
    @InjectExotelOptions() private readonly options: ResolvedExotelOptions,
  ) {}

  /**
   * Opens a ticket and publishes `ticket.created`. The policy version in force at `openedAt` is
   * pinned on the ticket. Throws `ValidationFailedError` for a future `openedAt` or a missing
   * severity, `TicketExistsForIncidentError` when the incident has a ticket already.
   */
  async open(input: OpenTicketInput): Promise<SupportTicket> {
    const now = this.clock.now();
    const ticket = this.newTicket(input, now);
    try {
      await this.db.transaction(async (manager) => {
        await manager.insert(TicketEntity, ticket);
        await this.publishCreated(manager, ticket, now);
        // An imported ticket may be late already: its breaches are published with it.
        await this.signals.publishDue(manager, ticket, [], now);
      });
    } catch (error) {
      if (input.incident && isUniqueViolation(error)) {
        const existing = await this.findByIncident(input.incident.id);
        if (existing) throw new TicketExistsForIncidentError(input.incident.id, existing.id);
      }
      throw error;
    }
    return toSupportTicket(ticket, [], now);
  }

  /**
   * Opens the ticket of an incident, or returns the one it has: safe to call again for the same
   * incident (event redelivery, several replicas). Severity 1 for outages, 2 for degraded
   * performance.
   */
  async openForIncident(input: IncidentTicketInput): Promise<{ ticket: SupportTicket; created: boolean }> {
    const existing = await this.findByIncident(input.incidentId);
    if (existing) return { ticket: await this.get(existing.id), created: false };
    try {
      const ticket = await this.open({
        title: input.title,
        incident: { id: input.incidentId, kind: input.kind },
        // An incident noticed just now must not be refused for a clock a few ms behind.
        openedAt: new Date(Math.min(input.openedAt.getTime(), this.clock.now().getTime())),
      });
      return { ticket, created: true };
    } catch (error) {
      if (!(error instanceof TicketExistsForIncidentError)) throw error;
      return { ticket: await this.get(error.ticketId), created: false };
    }
  }

  /** The ticket with its clocks evaluated now. Throws `TicketNotFoundError`. */
  async get(id: string): Promise<SupportTicket> {
    const now = this.clock.now();
    const found = await this.db.read(async (manager) => {
      const ticket = await manager.findOneBy(TicketEntity, { id });
      return ticket ? { ticket, pauses: (await pausesByTicket(manager, [id])).get(id) ?? [] } : undefined;
    });
    if (!found) throw new TicketNotFoundError(id);
    return toSupportTicket(found.ticket, found.pauses, now);
  }

  /** Tickets, newest first. */
  async list(filter: TicketListFilter = {}): Promise<SupportTicket[]> {
    const now = this.clock.now();
    const where: FindOptionsWhere<TicketEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.severity) where.severity = filter.severity;
    if (filter.incidentId) where.incidentId = filter.incidentId;
    const { tickets, pauses } = await this.db.read(async (manager) => {
      const tickets = await manager.find(TicketEntity, {
        where,
        order: { openedAt: 'DESC', id: 'DESC' },
        take: Math.min(Math.max(filter.limit ?? 50, 1), 200),
      });
      return {
        tickets,
        pauses: await pausesByTicket(
          manager,
          tickets.map((t) => t.id),
        ),
      };
    });
    return tickets.map((ticket) => toSupportTicket(ticket, pauses.get(ticket.id) ?? [], now));
  }

  /** Stops the acknowledgement clock. 409 once acknowledged or resolved. */
  acknowledge(id: string): Promise<SupportTicket> {
    return this.change(id, 'acknowledge', async (ticket, _pauses, _manager, now) => {
      if (ticket.acknowledgedAt) conflict(ticket, 'acknowledge', 'it was acknowledged already');
      ticket.acknowledgedAt = now;
    });
  }

  /**
   * Stops the response clock; a response also acknowledges, and ends a wait on the customer.
   * 409 once responded or resolved.
   */
  respond(id: string): Promise<SupportTicket> {
    return this.change(id, 'respond', async (ticket, pauses, manager, now) => {
      if (ticket.respondedAt) conflict(ticket, 'respond', 'it was responded to already');
      ticket.acknowledgedAt ??= now;
      ticket.respondedAt = now;
      await endPause(manager, ticket, pauses, now);
    });
  }

  /**
   * Waits on the customer: the response clock stops (the acknowledgement clock does not).
   * 409 when already waiting, responded or resolved.
   */
  pause(id: string): Promise<SupportTicket> {
    return this.change(id, 'pause', async (ticket, pauses, manager, now) => {
      if (ticket.status === 'waiting_on_customer')
        conflict(ticket, 'pause', 'it is waiting on the customer already');
      if (ticket.respondedAt)
        conflict(ticket, 'pause', 'its response clock stopped when it was responded to');
      const pause = manager.create(TicketPauseEntity, {
        ticketId: ticket.id,
        pausedAt: now,
        resumedAt: null,
      });
      pauses.push(await manager.save(TicketPauseEntity, pause));
      ticket.status = 'waiting_on_customer';
    });
  }

  /** The customer answered: the response clock runs again. 409 unless waiting on the customer. */
  resume(id: string): Promise<SupportTicket> {
    return this.change(id, 'resume', async (ticket, pauses, manager, now) => {
      if (ticket.status !== 'waiting_on_customer')
        conflict(ticket, 'resume', 'it is not waiting on the customer');
      await endPause(manager, ticket, pauses, now);
    });
  }

  /**
   * Resolves the ticket and publishes `ticket.resolved`. A resolution answers the customer, so a
   * metric not met before is met now (and breached if that is late). 409 once resolved.
   */
  resolve(id: string): Promise<SupportTicket> {
    return this.change(id, 'resolve', async (ticket, pauses, manager, now) => {
      ticket.acknowledgedAt ??= now;
      ticket.respondedAt ??= now;
      await endPause(manager, ticket, pauses, now);
      ticket.resolvedAt = now;
      ticket.status = 'resolved';
      const view = toSupportTicket(ticket, pauses, now);
      await this.events.publish(manager, {
        type: 'ticket.resolved',
        subject: ticket.id,
        data: {
          ticketId: ticket.id,
          resolvedAt: now.toISOString(),
          acknowledgementMet: !view.acknowledgement.breached,
          responseMet: !view.response.breached,
        },
      });
    });
  }

  /**
   * Applies one change to a locked ticket in one transaction, with the SLA signals it calls for
   * afterwards: a metric met late is breached now if the job had not said so yet, and a metric
   * just met gets no warning.
   */
  private async change(
    id: string,
    action: TicketAction,
    apply: (
      ticket: TicketEntity,
      pauses: TicketPauseEntity[],
      manager: EntityManager,
      now: Date,
    ) => Promise<void>,
  ): Promise<SupportTicket> {
    const now = this.clock.now();
    const { ticket, pauses } = await this.db.transaction(async (manager) => {
      const ticket = await lockTicket(manager, this.db.dialect, id);
      if (!ticket) throw new TicketNotFoundError(id);
      if (ticket.resolvedAt) conflict(ticket, action, 'it is resolved');
      const pauses = (await pausesByTicket(manager, [id])).get(id) ?? [];
      await apply(ticket, pauses, manager, now);
      await manager.save(TicketEntity, ticket);
      await this.signals.publishDue(manager, ticket, pauses, now);
      return { ticket, pauses };
    });
    return toSupportTicket(ticket, pauses, now);
  }

  private newTicket(input: OpenTicketInput, now: Date): TicketEntity {
    const openedAt = input.openedAt ?? now;
    if (openedAt.getTime() > now.getTime()) {
      throw new ValidationFailedError([{ field: 'openedAt', message: 'openedAt must not be in the future' }]);
    }
    const severity =
      input.severity ?? (input.incident ? severityForIncident(input.incident.kind) : undefined);
    if (!severity) {
      throw new ValidationFailedError([
        {
          field: 'severity',
          message: 'severity (1-4) is required unless an incident is given to derive it from',
        },
      ]);
    }
    const policy = this.policies.inForceAt(openedAt);
    if (!policy) {
      throw new ValidationFailedError([
        { field: 'openedAt', message: 'openedAt precedes every configured support policy version' },
      ]);
    }
    const plan = input.plan ?? this.options.support.plan;
    const coverage = policy.coverage[plan];
    const targets = input.thirdPartySla ?? policy.targets[severity];
    return Object.assign(new TicketEntity(), {
      id: this.nextId(now.getTime()),
      title: input.title,
      severity,
      plan,
      status: 'open',
      policyVersion: policy.id,
      slaSource: input.thirdPartySla ? 'third_party' : 'policy',
      thirdPartyIntegration: input.thirdPartySla?.integration ?? null,
      acknowledgementTargetMinutes: targets.acknowledgementMinutes,
      responseTargetMinutes: targets.responseMinutes,
      coverageTimeZone: coverage.kind === 'daily' ? coverage.timeZone : null,
      coverageFrom: coverage.kind === 'daily' ? coverage.from : null,
      coverageTo: coverage.kind === 'daily' ? coverage.to : null,
      incidentId: input.incident?.id ?? null,
      openedAt,
      createdAt: now,
      acknowledgedAt: null,
      respondedAt: null,
      resolvedAt: null,
    } satisfies TicketEntity);
  }

  private async publishCreated(manager: EntityManager, ticket: TicketEntity, now: Date): Promise<void> {
    const view = toSupportTicket(ticket, [], now);
    await this.events.publish(manager, {
      type: 'ticket.created',
      subject: ticket.id,
      time: now,
      data: {
        ticketId: ticket.id,
        title: ticket.title,
        severity: view.severity,
        plan: view.plan,
        policyVersion: ticket.policyVersion,
        openedAt: ticket.openedAt.toISOString(),
        // A new ticket has no pause, so both deadlines exist.
        acknowledgementDueAt: (view.acknowledgement.dueAt ?? now).toISOString(),
        responseDueAt: (view.response.dueAt ?? now).toISOString(),
        incidentId: ticket.incidentId,
      },
    });
  }

  private findByIncident(incidentId: string): Promise<TicketEntity | null> {
    return this.db.read((manager) => manager.findOneBy(TicketEntity, { incidentId }));
  }
}

function conflict(ticket: TicketEntity, action: TicketAction, reason: string): never {
  throw new TicketStateConflictError(ticket.id, action, reason);
}

/** Ends the open pause, if any, at `now`, and puts the ticket back to work. */
async function endPause(
  manager: EntityManager,
  ticket: TicketEntity,
  pauses: TicketPauseEntity[],
  now: Date,
): Promise<void> {
  const open = pauses.find((p) => p.resumedAt === null);
  if (open) {
    open.resumedAt = now;
    await manager.update(TicketPauseEntity, { id: open.id }, { resumedAt: now });
  }
  if (ticket.status === 'waiting_on_customer') ticket.status = 'open';
}
