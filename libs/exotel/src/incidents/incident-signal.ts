import type { ExotelEventData } from '../events/event-catalogue';

/** Something that may open, change or resolve incidents. */
export type IncidentSignal =
  | {
      readonly source: 'health';
      readonly eventId: string;
      readonly data: ExotelEventData<'exophone.health_changed'>;
    }
  | {
      readonly source: 'heartbeat';
      readonly eventId: string;
      readonly detail: string;
    }
  | { readonly source: 'api'; readonly failing: boolean; readonly detail: string }
  | {
      readonly source: 'latency';
      readonly eventId: string;
      readonly degraded: boolean;
      readonly detail: string;
    }
  /** Look at the ExoPhones' health again (the watch job's safety net). */
  | { readonly source: 'recheck' };
