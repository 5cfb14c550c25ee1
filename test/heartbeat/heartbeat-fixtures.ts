import { ExotelClock, type ManualClock } from 'nestjs-exotel/internal';
import { startTestService, type TestService } from '../support/test-service';

/** A heartbeat in Exotel's tolerant shape (connectivity block per affected ExoPhone). */
export function heartbeat(
  timestamp: string,
  statusType: string,
  affected: { incoming?: string[]; outgoing?: string[] } = {},
) {
  const sids = new Set([...(affected.incoming ?? []), ...(affected.outgoing ?? [])]);
  return {
    timestamp,
    status_type: statusType,
    incoming_affected: affected.incoming ?? null,
    outgoing_affected: affected.outgoing ?? null,
    data: Object.fromEntries(
      [...sids].map((sid) => [
        sid,
        {
          phone_number: `+9180${sid.slice(-8)}`,
          connectivity: {
            incoming_call: {
              status: affected.incoming?.includes(sid) ? 'major_outage' : 'active',
              last_check_time: timestamp,
              alternate_exophone: null,
            },
            outgoing_call: {
              status: affected.outgoing?.includes(sid) ? 'major_outage' : 'active',
              last_check_time: timestamp,
              alternate_exophone: null,
            },
          },
        },
      ]),
    ),
  };
}

/** The reference service on `clock`, jobs off (tests apply heartbeats themselves), no inventory sync. */
export function startOnClock(clock: ManualClock): Promise<TestService> {
  return startTestService({
    overrides: { exotel: { jobs: { enabled: false }, exophones: { syncOnStart: false } } },
    customize: (builder) => builder.overrideProvider(ExotelClock).useValue(clock),
  });
}
