import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ValidationFailedError } from '../errors/http-request.errors';
import { EventPublisher } from '../events/event-publisher';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { ExotelClock } from '../jobs/exotel-clock';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { ExotelDatabase } from '../persistence/exotel-database';
import { isUniqueViolation } from '../persistence/unique-violation';
import { ulidFactory } from '../persistence/ulid-factory';
import { SlaPolicyCatalogue } from './sla-policy';
import { SlaSignals } from './sla-signals';
import { severityForIncident, type OpenTicketInput } from './support-sla.types';
import { toSupportTicket, type SupportTicket } from './support-ticket';
import { TicketExistsForIncidentError } from './ticket.errors';
import { TicketEntity } from './ticket.entity';

/**
 * Opens tickets: checks the input, pins the policy version in force at `openedAt` with its targets
 * and coverage on the ticket, and inserts it with `ticket.created` (and the breaches of a ticket
 * imported late) in one transaction.
 */
@Injectable()
export class TicketOpening {
  private readonly nextId = ulidFactory();

  constructor(
    @InjectExotelOptions('support') private readonly support: ResolvedExotelOptions['support'],
    private readonly db: ExotelDatabase,
    private readonly events: EventPublisher,
    private readonly clock: ExotelClock,
    private readonly policies: SlaPolicyCatalogue,
    private readonly signals: SlaSignals,
  ) {}

  /** See `SupportSlaService.open`. */
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

  /** The ticket of an incident, if it has one. */
  findByIncident(incidentId: string): Promise<TicketEntity | null> {
    return this.db.read((manager) => manager.findOneBy(TicketEntity, { incidentId }));
  }

  private newTicket(input: OpenTicketInput, now: Date): TicketEntity {
    const openedAt = this.openedAt(input.openedAt, now);
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
    const plan = input.plan ?? this.support.plan;
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

  /**
   * When the ticket's clocks start: `openedAt` inside the window a ticket can open in, a little
   * ahead of now (the sender's clock) read as now. An instant outside it is refused, so no input
   * can start a clock decades ago (or at 1970 for a null) and no clock has years to walk.
   */
  private openedAt(requested: Date | undefined, now: Date): Date {
    if (requested === undefined) return now;
    const earliest = new Date(now.getTime() - this.support.maxTicketAgeMs);
    const latest = new Date(now.getTime() + this.support.clockSkewMs);
    const at = requested.getTime();
    if (!(at >= earliest.getTime() && at <= latest.getTime())) {
      throw new ValidationFailedError([
        {
          field: 'openedAt',
          message:
            `openedAt must be between ${earliest.toISOString()} and ${latest.toISOString()} ` +
            '(not older than support.maxTicketAgeMs, not ahead of now by more than support.clockSkewMs)',
        },
      ]);
    }
    return at > now.getTime() ? now : requested;
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
}
