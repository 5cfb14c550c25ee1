import { logLine, OnExotelEvent, type ExotelEvent, type ExotelEventOf } from 'nestjs-exotel/events';
import { Injectable, Logger } from '@nestjs/common';

/**
 * What an operations team wants to hear about: ExoPhones going down, incidents, SLA breaches and
 * calls whose outcome is unknown. A real service would page someone or update a CRM here.
 */
@Injectable()
export class OperationsFeedHandler {
  private readonly logger = new Logger(OperationsFeedHandler.name);
  /** How many events of each type were handled, for a status page (and tests). */
  readonly handled = new Map<string, number>();

  @OnExotelEvent('exophone.health_changed')
  onHealth(event: ExotelEventOf<'exophone.health_changed'>): void {
    const { exoPhoneSid, direction, previous, current } = event.data;
    this.logger.log(
      logLine(`ExoPhone ${exoPhoneSid} ${direction}: ${previous} -> ${current}`, {
        exoPhoneSid,
        direction,
        previous,
        current,
      }),
    );
    this.count(event);
  }

  @OnExotelEvent(['incident.opened', 'incident.resolved'])
  onIncident(event: ExotelEventOf<'incident.opened'> | ExotelEventOf<'incident.resolved'>): void {
    this.logger.warn(
      logLine(`Incident ${event.data.incidentId}: ${event.type}`, {
        incidentId: event.data.incidentId,
        type: event.type,
      }),
    );
    this.count(event);
  }

  @OnExotelEvent('sla.breached')
  onBreach(event: ExotelEventOf<'sla.breached'>): void {
    this.logger.error(
      logLine(`SLA breached on ticket ${event.data.ticketId}`, {
        ticketId: event.data.ticketId,
        metric: event.data.metric,
      }),
    );
    this.count(event);
  }

  @OnExotelEvent('call.outcome_unknown')
  onUnknownOutcome(event: ExotelEventOf<'call.outcome_unknown'>): void {
    this.logger.warn(
      logLine(`Call ${event.data.callId} may or may not have been placed`, { callId: event.data.callId }),
    );
    this.count(event);
  }

  private count(event: ExotelEvent): void {
    this.handled.set(event.type, (this.handled.get(event.type) ?? 0) + 1);
  }
}
