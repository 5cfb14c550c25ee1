import { Injectable } from '@nestjs/common';
import type { ExotelEventOf } from '../events/event-catalogue';
import { OnExotelEvent } from '../events/on-exotel-event.decorator';
import { LibraryEventHandlers } from '../events/library-handlers';
import type { ResolvedExotelOptions } from '../options/exotel-module-options.interface';
import { InjectExotelOptions } from '../options/inject-exotel-options.decorator';
import { SupportSlaService } from './support-sla.service';

/**
 * Opens a support ticket when an unplanned incident opens, if `support.openTicketsForIncidents` is
 * on: severity 1 for outages (calls cannot complete, server inaccessible, operator downtime),
 * severity 2 for degraded performance. Planned maintenance was announced by Exotel or the operator
 * and needs no ticket. Redelivered events find the incident's ticket and open no other.
 */
@Injectable()
@LibraryEventHandlers()
export class IncidentTicketsHandler {
  constructor(
    private readonly support: SupportSlaService,
    @InjectExotelOptions('support') private readonly supportOptions: ResolvedExotelOptions['support'],
  ) {}

  @OnExotelEvent('incident.opened')
  async onIncidentOpened(event: ExotelEventOf<'incident.opened'>): Promise<void> {
    const incident = event.data;
    if (!this.supportOptions.openTicketsForIncidents || incident.classification.planned) return;
    await this.support.openForIncident({
      incidentId: incident.incidentId,
      kind: incident.kind,
      title: incidentTicketTitle(incident),
      openedAt: new Date(incident.openedAt),
    });
  }
}

/** A ticket title that says what happened and where, within the 200 characters a title holds. */
function incidentTicketTitle(incident: ExotelEventOf<'incident.opened'>['data']): string {
  const what = incident.kind === 'outage' ? 'Outage' : 'Degraded performance';
  return `${what}: ${incident.scope}`.slice(0, 200);
}
